"""The API's route groups: questions, documents and corpora, health."""

"""Ingest: files -> cleaned text -> sentences -> speakers and voices -> chunks -> store."""

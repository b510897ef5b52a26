"""Meeting documents: PDF ingest in a bounded worker, content-addressed storage,
watermarked copies, and the pure rules of documents and presenting in a meeting."""

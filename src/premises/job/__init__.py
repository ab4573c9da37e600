"""The durable job queue and its worker (docs/jobs.md)."""

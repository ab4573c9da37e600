"""What an operator watches: request ids, the access log, /readyz and Prometheus metrics (docs/operations.md)."""

"""POST /connect/hours: an hours of operation with its open/closed state computed for now."""

"""POST /connect/contact: click-to-call, the contact center calls the signed-in customer."""

"""The self-service bot's fulfillment / dialog code hook (Amazon Lex V2 event in, Lex V2 response out)."""

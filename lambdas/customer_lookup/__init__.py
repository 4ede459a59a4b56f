"""The customer lookup Lambda (Handler: customer_lookup.handler.lambda_handler)."""

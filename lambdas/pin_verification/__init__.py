"""The pin verification Lambda (Handler: pin_verification.handler.lambda_handler)."""

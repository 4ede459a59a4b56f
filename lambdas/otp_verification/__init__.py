"""The one-time code Lambda (Handler: otp_verification.handler.lambda_handler)."""

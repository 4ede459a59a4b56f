"""The survey Lambda (Handler: survey.handler.lambda_handler)."""

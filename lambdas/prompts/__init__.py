"""The prompts Lambda (Handler: prompts.handler.lambda_handler)."""

"""A local Amazon Lex V2 runtime twin: RecognizeText for unmodified boto3 `lexv2-runtime` clients.

models.py  the bot (data/lex/bot.yaml), sessions and the dialog (classification by nlu.py, slots
           by slots.py, the code hook: lambdas/lex_fulfillment with the Lex V2 event)
responses.py  the REST-JSON face botocore speaks      urls.py  the operations' routes
"""

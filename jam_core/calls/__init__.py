"""Click-to-call requests that wait for Amazon Connect's outbound quota, and their placing.

The request records are a table (jam_core.tables.call_requests); this package places them
(`placing`), paces them to the account's quota (`pacing`) and, on AWS, hands them to the SQS FIFO
queue that a Lambda drains (`queue`). The API, the draining Lambda and the local runtime's placing
loop all place a request with the same code.
"""

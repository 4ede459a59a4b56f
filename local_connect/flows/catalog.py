"""The action types the engine runs, with the parameters, conditions and errors each one takes.

Read from the "Amazon Connect Flow language" reference (per-action pages: parameter object,
results and conditions, errors). The validator checks flows against this table; docs/FLOW-LANGUAGE.md
lists the same table for people.
"""

from __future__ import annotations

from dataclasses import dataclass

PROMPT_SOURCES = ("Text", "SSML", "PromptId", "Media")
NUMBER_OPERATORS = (
    "NumberLessThan",
    "NumberLessOrEqualTo",
    "NumberGreaterThan",
    "NumberGreaterOrEqualTo",
)
COMPARE_OPERATORS = ("Equals", *NUMBER_OPERATORS, "StartsWith", "Contains")


@dataclass(frozen=True)
class ActionSpec:
    type: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()  # exactly one of these must be present
    errors: tuple[str, ...] = ("NoMatchingError",)
    operators: tuple[str, ...] = ()  # condition operators allowed; empty: no conditions
    needs_next: bool = True  # must have a NextAction (a success path)
    terminal: bool = False  # ends the flow; no transitions at all
    missing_error_ok: tuple[str, ...] = ()  # errors whose absence is not worth a warning

    @property
    def parameters(self) -> tuple[str, ...]:
        return (*self.required, *self.optional, *self.one_of)


_SPECS = (
    # A prompt that cannot be played is a platform fault; flows commonly leave that branch open.
    ActionSpec(
        "MessageParticipant",
        one_of=PROMPT_SOURCES,
        optional=("LanguageCode",),
        missing_error_ok=("NoMatchingError",),
    ),
    # With InterruptFrequencySeconds the loop ends with the result "MessagesInterrupted" (a condition).
    ActionSpec(
        "MessageParticipantIteratively",
        required=("Messages",),
        optional=("InterruptFrequencySeconds",),
        operators=("Equals",),
        needs_next=False,
    ),
    ActionSpec(
        "GetParticipantInput",
        one_of=PROMPT_SOURCES,
        optional=(
            "InputTimeLimitSeconds",
            "StoreInput",
            "InputValidation",
            "DTMFConfiguration",
            "InputEncryption",
            "LanguageCode",
        ),
        errors=("InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError", "InvalidPhoneNumber"),
        operators=("Equals",),
        needs_next=False,
        missing_error_ok=("InvalidPhoneNumber",),
    ),
    ActionSpec("UpdateContactAttributes", required=("Attributes",), optional=("TargetContact",)),
    ActionSpec(
        "Compare",
        required=("ComparisonValue",),
        errors=("NoMatchingCondition",),
        operators=COMPARE_OPERATORS,
        needs_next=False,
    ),
    ActionSpec(
        "InvokeLambdaFunction",
        required=("LambdaFunctionARN",),
        optional=(
            "InvocationTimeLimitSeconds",
            "InvocationType",
            "LambdaInvocationAttributes",
            "ResponseValidation",
        ),
    ),
    ActionSpec("UpdateContactTargetQueue", optional=("QueueId", "AgentId")),
    ActionSpec(
        "TransferContactToQueue",  # takes no parameters: it transfers to the target queue
        errors=("QueueAtCapacity", "NoMatchingError"),
        needs_next=False,
    ),
    ActionSpec(
        "CheckHoursOfOperation",
        optional=("HoursOfOperationId",),
        errors=("NoMatchingError", "NoMatchingCondition"),
        operators=("Equals",),
        needs_next=False,
        missing_error_ok=("NoMatchingCondition",),
    ),
    ActionSpec(
        "CheckMetricData",
        required=("MetricType",),
        optional=("QueueId", "AgentId"),
        errors=("NoMatchingError", "NoMatchingCondition"),
        operators=("Equals", *NUMBER_OPERATORS),
        needs_next=False,
        missing_error_ok=("NoMatchingCondition",),
    ),
    ActionSpec("GetMetricData", optional=("QueueId", "AgentId", "QueueChannel")),
    ActionSpec(
        "UpdateContactRoutingBehavior",
        optional=("QueuePriority", "QueueTimeAdjustmentSeconds", "RoutingCriteria"),
    ),
    ActionSpec(
        "UpdateContactTextToSpeechVoice",
        required=("TextToSpeechVoice",),
        optional=("TextToSpeechEngine", "TextToSpeechStyle"),
        missing_error_ok=("NoMatchingError",),
    ),
    ActionSpec(
        "UpdateContactData",
        required=("TargetContact",),
        optional=(
            "LanguageCode",
            "Name",
            "Description",
            "CustomerId",
            "References",
            "RelatedContactId",
            "ScheduledTime",
            "TaskDeduplicationConfiguration",
        ),
    ),
    ActionSpec("UpdateContactEventHooks", required=("EventHooks",)),
    ActionSpec(
        "UpdateContactCallbackNumber",
        required=("CallbackNumber",),
        errors=("InvalidCallbackNumber", "CallbackNumberNotDialable", "NoMatchingError"),
    ),
    ActionSpec(
        "CreateCallbackContact",
        required=("InitialCallDelaySeconds", "MaximumConnectionAttempts", "RetryDelaySeconds"),
        optional=("QueueId", "AgentId", "ContactFlowId", "CallerId"),
    ),
    ActionSpec("DisconnectParticipant", errors=(), needs_next=False, terminal=True),
    ActionSpec("EndFlowExecution", errors=(), needs_next=False, terminal=True),
    ActionSpec("TransferToFlow", required=("ContactFlowId",), needs_next=False),
    ActionSpec("Loop", required=("LoopCount",), errors=(), operators=("Equals",), needs_next=False),
    ActionSpec(
        "DistributeByPercentage",
        errors=("NoMatchingCondition",),
        operators=("NumberLessThan",),
        needs_next=False,
    ),
    ActionSpec(
        "Wait",
        optional=("TimeoutSeconds", "TimeLimitSeconds", "Events"),
        operators=("Equals",),
        needs_next=False,
    ),
    ActionSpec(
        "UpdateFlowLoggingBehavior",
        required=("FlowLoggingBehavior",),
        errors=(),
        missing_error_ok=("NoMatchingError",),
    ),
    ActionSpec(
        "UpdateContactRecordingBehavior",
        required=("RecordingBehavior",),
        optional=("AnalyticsBehavior", "IVRRecordingBehavior"),
        errors=(),
    ),
)

SPECS: dict[str, ActionSpec] = {spec.type: spec for spec in _SPECS}

# Real Connect actions this engine recognises but does not run (Lex bots, flow modules, tasks,
# third-party transfer, ...): a flow using them loads, the use is reported by name, and at run time
# the action takes its NoMatchingError branch (or ends the flow if it has none).
KNOWN_UNSUPPORTED = frozenset(
    {
        "ConnectParticipantWithLexBot",
        "InvokeFlowModule",
        "TransferParticipantToThirdParty",
        "CreateTask",
        "CreateCase",
        "GetCase",
        "UpdateCase",
        "GetCustomerProfile",
        "CreateCustomerProfile",
        "UpdateCustomerProfile",
        "AssociateContactToCustomerProfile",
        "UpdateContactMediaStreamingBehavior",
        "UpdateContactRecordingAndAnalyticsBehavior",
        "UpdateContactRoutingBehaviorV2",
        "StartOutboundChatContact",
        "Resume",
        "TagContact",
        "UnTagContact",
        "UpdateRoutingProfile",
        "AuthenticateParticipant",
        "SendMessage",
        "CreatePersistentContactAssociation",
        "ShowView",
        "GetCalculatedAttributesForCustomerProfile",
        "InvokeModule",
        "TransferContactToAgent",
        "UpdateContactTargetAgent",
        "CheckVoiceId",
        "UpdatePreviousContactParticipantState",
        "CheckOutboundCallStatus",
        "StartVoiceIdStream",
        "UpdateContactVoiceIdBehavior",
        "GetQueueMetrics",
        "DequeueContactAndTransferToQueue",
    }
)

# Metric types of CheckMetricData and the queue metric (services.QUEUE_METRICS) each one reads. The
# staffing ones only take "NumberGreaterThan 0"; when it does not hold, the action takes NextAction.
STAFFING_METRICS = frozenset({"NumberOfAgentsAvailable", "NumberOfAgentsStaffed", "NumberOfAgentsOnline"})
CHECK_METRICS = {
    "NumberOfAgentsAvailable": "AGENTS_AVAILABLE",
    "NumberOfAgentsStaffed": "AGENTS_STAFFED",
    "NumberOfAgentsOnline": "AGENTS_ONLINE",
    "OldestContactInQueueAgeSeconds": "OLDEST_CONTACT_AGE",
    "NumberOfContactsInQueue": "CONTACTS_IN_QUEUE",
}

EVENT_HOOKS = frozenset(
    {
        "AgentHold",
        "AgentWhisper",
        "CustomerHold",
        "CustomerQueue",
        "CustomerRemaining",
        "CustomerWhisper",
        "DefaultAgentUI",
        "DisconnectAgentUI",
        "PauseContact",
        "ResumeContact",
        "DisconnectFlow",  # accepted as CustomerRemaining (what "Set disconnect flow" means)
    }
)

namespace EdgeLlm.Api.Errors;

/// <summary>The stable error codes of the API. Clients may switch on them; never rename one.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidRequest = "invalid_request";
    public const string InvalidParameter = "invalid_parameter";
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ContextLengthExceeded = "context_length_exceeded";
    public const string ModelNotFound = "model_not_found";
    public const string NotFound = "not_found";
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string InsufficientScope = "insufficient_scope";
    public const string InvalidSession = "invalid_session";
    public const string CsrfTokenInvalid = "csrf_token_invalid";
    public const string KeyNotFound = "key_not_found";
    public const string ModelStateConflict = "model_state_conflict";
    public const string QueueFull = "queue_full";
    public const string ModelNotReady = "model_not_ready";
    public const string RequestTimeout = "request_timeout";
    public const string InternalError = "internal_error";
    public const string CollectionNotFound = "collection_not_found";
    public const string CollectionExists = "collection_exists";
    public const string CollectionLimitReached = "collection_limit_reached";
    public const string DocumentNotFound = "document_not_found";
    public const string DocumentTooLarge = "document_too_large";
    public const string JobNotFound = "job_not_found";
    public const string IngestQueueFull = "ingest_queue_full";
    public const string EmbeddingModelChanged = "embedding_model_changed";
    public const string EmbeddingModelUnavailable = "embedding_model_unavailable";
    public const string UpdateRefused = "update_refused";
    public const string UpdateFailed = "update_failed";
    public const string UpdatePullDisabled = "update_pull_disabled";
    public const string NoPreviousVersion = "no_previous_version";
    public const string RollbackFailed = "rollback_failed";
    public const string VersionNotFound = "version_not_found";
    public const string RolloutRunning = "rollout_running";
    public const string RolloutNotRunning = "rollout_not_running";
    public const string CandidateLoadFailed = "candidate_load_failed";
    public const string HostNotAllowed = "host_not_allowed";
    public const string RateLimited = "rate_limited";
    public const string ExpiredApiKey = "expired_api_key";
    public const string InsufficientStorage = "insufficient_storage";
    public const string ServerShuttingDown = "server_shutting_down";
    public const string InvalidText = "invalid_text";
    public const string InvalidPath = "invalid_path";
    public const string InvalidUpload = "invalid_upload";
    public const string ModelRoleMismatch = "model_role_mismatch";
    public const string ContentBlocked = "content_blocked";
    public const string PolicyNotFound = "policy_not_found";

    /// <summary>Ollama's pull, push, create, copy, delete and blob calls: models arrive only as signed bundles (501).</summary>
    public const string ModelManagementUnsupported = "model_management_unsupported";
}

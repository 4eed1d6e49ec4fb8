namespace EdgeLlm.Api.Contracts;

/// <summary><c>POST /admin/keys</c>: a label, the tenant it acts for, its scopes and, optionally, when it stops working.</summary>
public sealed record CreateKeyRequest(string? Name, string? Tenant, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>An API key as <c>/admin/keys</c> shows it: never its secret.</summary>
public sealed record ApiKeyDto(string Id, string Name, string Tenant, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary><c>GET /admin/keys</c>: every key, revoked ones included, oldest first.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyDto> Data);

/// <summary>A created key: <see cref="Key"/> is its secret, shown this once and never again.</summary>
public sealed record CreatedKeyDto(string Key, ApiKeyDto Info);

/// <summary><c>GET /admin/audit</c>: the most recent audit entries, newest first.</summary>
public sealed record AuditList(IReadOnlyList<AuditEntryDto> Data);

/// <summary>An audit entry: <c>kind</c> is admin, refused, signin, signin_refused or signout; <c>code</c> the error code when refused.</summary>
public sealed record AuditEntryDto(DateTimeOffset At, string Kind, string? KeyId, string? Tenant, string Method, string Path, int Status, string? Code, string? RemoteAddress);

/// <summary><c>POST /admin/models/{name}/load</c> and <c>/unload</c>: the model's state afterwards.</summary>
public sealed record ModelStateChangeDto(string Name, string State);

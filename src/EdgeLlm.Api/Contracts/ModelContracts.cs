namespace EdgeLlm.Api.Contracts;

public sealed record ModelList(string Object, IReadOnlyList<ModelDto> Data);

public sealed record ModelDto(string Id, string Object, long Created, string OwnedBy);

public sealed record HealthStatus(string Status);

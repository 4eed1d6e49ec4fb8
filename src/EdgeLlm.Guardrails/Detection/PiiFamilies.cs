namespace EdgeLlm.Guardrails.Detection;

/// <summary>The names of the built-in PII families, as policies and placeholders spell them.</summary>
public static class PiiFamilies
{
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Iban = "iban";
    public const string Card = "card";
    public const string IPv4 = "ipv4";
    public const string IPv6 = "ipv6";
    public const string Mac = "mac";

    /// <summary>The prefix of a configured pattern's family: <c>custom:employee-id</c>.</summary>
    public const string CustomPrefix = "custom:";

    public static IReadOnlyList<string> BuiltIn { get; } = [Email, Phone, Iban, Card, IPv4, IPv6, Mac];
}

namespace EdgeLlm.Guardrails.Detection;

/// <summary>The context words each built-in family uses unless its options name others (English and German).</summary>
public static class DefaultContextWords
{
    public static IReadOnlyList<string> For(string family) => family switch
    {
        PiiFamilies.Email => ["email", "e-mail", "mail", "contact", "address", "to", "from", "cc"],
        PiiFamilies.Phone => ["phone", "tel", "telephone", "mobile", "cell", "call", "fax", "contact", "telefon", "handy", "whatsapp"],
        PiiFamilies.Iban => ["iban", "account", "bank", "transfer", "konto", "bankverbindung"],
        PiiFamilies.Card => ["card", "credit", "debit", "visa", "mastercard", "amex", "payment", "karte", "kreditkarte", "cc"],
        PiiFamilies.IPv4 or PiiFamilies.IPv6 => ["ip", "address", "host", "server", "client", "from", "src", "dst"],
        PiiFamilies.Mac => ["mac", "hardware", "ethernet", "wifi", "wlan", "bssid", "device"],
        _ => [],
    };
}

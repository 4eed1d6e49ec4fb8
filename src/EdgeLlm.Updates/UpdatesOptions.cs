using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Updates;

/// <summary>Settings of signed updates (section <c>Updates</c>).</summary>
public sealed class UpdatesOptions
{
    public const string SectionName = "Updates";

    /// <summary>Folder of the minisign public keys (<c>*.pub</c>) allowed to sign bundles. Default <c>/etc/edgellm/trusted-keys</c>.</summary>
    [Required]
    public string TrustedKeysDirectory { get; set; } = "/etc/edgellm/trusted-keys";

    /// <summary>This device's class: a bundle is accepted only when its manifest's <c>target</c> is exactly this. Default <c>default</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")]
    public string DeviceClass { get; set; } = "default";

    /// <summary>Accept minisign's legacy, not prehashed <c>Ed</c> signatures (only for small files). Default false.</summary>
    public bool AllowLegacySignatures { get; set; }
}

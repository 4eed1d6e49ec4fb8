namespace EdgeLlm.Inference;

/// <summary>Reads the <c>Role</c> setting of a model: <c>chat</c>, <c>embedding</c> or <c>guard</c>, case-insensitive.</summary>
public static class ModelRoles
{
    // In the order of ModelRole's members, so a name's index is its role.
    private static readonly string[] Names = ["chat", "embedding", "guard"];

    /// <summary>The values the setting accepts, as written in configuration.</summary>
    public static IReadOnlyList<string> SettingNames => Names;

    /// <summary>The role <paramref name="name"/> names; false for anything else (null and numbers included).</summary>
    public static bool TryParse(string? name, out ModelRole role)
    {
        var index = name is null ? -1 : Array.FindIndex(Names, n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase));
        role = index < 0 ? ModelRole.Chat : (ModelRole)index;
        return index >= 0;
    }

    /// <summary>The role of a validated setting.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a role (start-up validation lets none through).</exception>
    public static ModelRole Parse(string? name) =>
        TryParse(name, out var role) ? role : throw new ArgumentException($"'{name}' is not a model role; use one of {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The role as configuration writes it.</summary>
    public static string Name(ModelRole role) => Names[(int)role];
}

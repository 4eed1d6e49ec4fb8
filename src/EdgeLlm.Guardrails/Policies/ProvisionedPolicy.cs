namespace EdgeLlm.Guardrails.Policies;

/// <summary>
/// <c>Guardrails:PolicyFile</c> as read at start-up: the options' validation, the composition's checks and the store's
/// first set all see this one reading, not one each. Later activations (a rollback to the file) read it anew.
/// </summary>
public sealed class ProvisionedPolicy
{
    private readonly Lock _gate = new();
    private (string Path, PolicyLoadResult Result)? _read;

    /// <summary>The document at <paramref name="path"/>, compiled, or why it is refused; read on the first call for that path.</summary>
    public PolicyLoadResult Read(string path)
    {
        lock (_gate)
        {
            if (_read is not { } read || read.Path != path)
            {
                read = (path, PolicyFiles.Read(path));
                _read = read;
            }

            return read.Result;
        }
    }
}

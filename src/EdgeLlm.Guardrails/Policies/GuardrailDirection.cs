namespace EdgeLlm.Guardrails.Policies;

/// <summary>Where text is on its way: <c>input</c> (the caller's prompt), <c>output</c> (the model's answer), <c>retrieved</c> (context from a collection).</summary>
public enum GuardrailDirection
{
    Input,
    Output,
    Retrieved,
}

namespace EdgeLlm.Inference.Speculation;

/// <summary>A token sampled at one verify position and handed to the job, and whether the job goes on after it.</summary>
internal readonly record struct DeliveredToken(int Token, bool JobContinues);

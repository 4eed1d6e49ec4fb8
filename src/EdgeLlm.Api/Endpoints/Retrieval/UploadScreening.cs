using EdgeLlm.Api.Errors;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// An upload's own words (title, source, file name, tags) through the tenant's rules for retrieved text before the job
/// is queued: they are stored with the job and the document as given. The content is screened when it is chunked.
/// </summary>
internal static class UploadScreening
{
    public static (IReadOnlyList<IngestRequest>? Uploads, ApiError? Error) Screen(GuardrailEnforcer guardrails, string tenant, string? keyId, IReadOnlyList<IngestRequest> uploads)
    {
        var session = guardrails.Begin(tenant, keyId);
        var screened = new List<IngestRequest>(uploads.Count);
        foreach (var upload in uploads)
        {
            string? blocked = null;
            string? Field(string? text)
            {
                if (text is null || blocked is not null)
                {
                    return text;
                }

                var outcome = session.Screen(text, GuardrailDirection.Retrieved);
                blocked = outcome.BlockedBy;
                return outcome.Text;
            }

            var request = upload with
            {
                Title = Field(upload.Title),
                Source = Field(upload.Source),
                FileName = Field(upload.FileName),
                Tags = upload.Tags.Select(t => Field(t)!).ToList(),
            };
            if (blocked is not null)
            {
                return (null, ApiError.ContentBlocked(blocked, "this document") with { Status = 422 });
            }

            screened.Add(request);
        }

        return (screened, null);
    }
}

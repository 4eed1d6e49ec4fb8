using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Edge;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary><c>GET /admin/audit?limit=N</c>: the recent audit trail (admin actions, security refusals, console sign-ins), newest first.</summary>
internal static class AuditEndpoints
{
    public const int DefaultLimit = 100;

    public static Results<Ok<AuditList>, ApiError> List([FromQuery] string? limit, [FromServices] AuditTrail trail)
    {
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) || count is < 1 or > AuditTrail.Capacity))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, $"limit must be a whole number from 1 to {AuditTrail.Capacity}.", "limit");
        }

        return TypedResults.Ok(new AuditList([.. trail.Recent(count).Select(e => new AuditEntryDto(e.At, e.Kind, e.KeyId, e.Tenant, e.Method, e.Path, e.Status, e.Code, e.RemoteAddress))]));
    }
}

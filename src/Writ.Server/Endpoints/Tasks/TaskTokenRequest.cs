namespace Writ.Server.Endpoints.Tasks;

/// <summary>The task token an agent presents (<c>Authorization: Bearer</c>, or <c>DPoP</c> with one <c>DPoP</c> proof header).</summary>
internal sealed record TaskTokenRequest(string? Token, string? Proof, string? Error)
{
    public static TaskTokenRequest Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        string? token = null;
        if (authorization.Count == 1 && authorization[0] is { } value)
        {
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = value["Bearer ".Length..].Trim();
            }
            else if (value.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase))
            {
                token = value["DPoP ".Length..].Trim();
            }
        }

        if (string.IsNullOrEmpty(token))
        {
            return new(null, null, "present the task token: Authorization: Bearer <task token> (DPoP <task token> with a DPoP proof when it is bound)");
        }

        var proofs = request.Headers["DPoP"];
        return proofs.Count > 1 ? new(null, null, "send at most one DPoP header") : new(token, proofs.Count == 1 ? proofs[0] : null, null);
    }
}

using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// Adds the stream's authentication challenges (Bearer, DPoP with its <c>algs</c>, Basic) to a 401 body; the Bearer
/// challenge says <c>invalid_token</c> when a bearer credential was presented and refused (RFC 6750 §3.1).
/// </summary>
internal sealed class ChallengeResult(IResult body, bool bearerRefused) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var headers = httpContext.Response.Headers;
        headers.Append("WWW-Authenticate", bearerRefused ? "Bearer realm=\"writ\", error=\"invalid_token\"" : "Bearer realm=\"writ\"");
        headers.Append("WWW-Authenticate", "DPoP algs=\"" + string.Join(' ', DpopProofValidator.SupportedAlgorithms) + "\"");
        headers.Append("WWW-Authenticate", "Basic realm=\"writ\"");
        return body.ExecuteAsync(httpContext);
    }
}

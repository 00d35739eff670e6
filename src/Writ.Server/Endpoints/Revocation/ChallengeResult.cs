using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>Adds the stream's authentication challenges (Bearer, DPoP with its <c>algs</c>, Basic) to a 401 body.</summary>
internal sealed class ChallengeResult(IResult body) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var headers = httpContext.Response.Headers;
        headers.Append("WWW-Authenticate", "Bearer realm=\"writ\"");
        headers.Append("WWW-Authenticate", "DPoP algs=\"" + string.Join(' ', DpopProofValidator.SupportedAlgorithms) + "\"");
        headers.Append("WWW-Authenticate", "Basic realm=\"writ\"");
        return body.ExecuteAsync(httpContext);
    }
}

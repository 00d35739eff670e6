using Writ.Core.Tasks;

namespace Writ.Gateway.Mcp;

/// <summary>
/// Decides, for a list answer, whether reading a listed resource or getting a listed prompt would be allowed: the
/// gateway's own decider, with the same policies and statuses, previewing instead of recording, since the item is
/// only shown, not used (its read or get is decided and recorded when made). Anything that cannot be decided is hidden.
/// </summary>
internal sealed class ListingDecider(CallDecider decider)
{
    public async ValueTask<bool> AllowsAsync(TaskTokenClaims task, CallRequest call, CancellationToken cancellationToken)
    {
        try
        {
            return (await decider.PreviewAsync(task, call, cancellationToken)).Allowed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Fail closed: an item whose use cannot be decided is not shown.
            return false;
        }
    }
}

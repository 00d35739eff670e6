namespace Writ.Core.Revocation;

/// <summary>
/// Wakes this process's stream readers the moment an event is recorded here, so they need not wait for
/// their next poll of the store (which still catches events recorded by other processes).
/// </summary>
public sealed class RevocationNotifier
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Publish"/>; take it before reading the store, then await it.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Tells every waiter that new events may be in the store.</summary>
    public void Publish()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }
}

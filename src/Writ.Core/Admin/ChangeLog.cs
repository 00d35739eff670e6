using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Records which named admin token made each change.</summary>
internal static class ChangeLog
{
    public static Task RecordAsync(IWritStore store, DateTimeOffset at, AdminCaller caller, string action, string target, string? detail, CancellationToken cancellationToken) =>
        store.ChangeLog.AppendAsync(new ChangeRecord(0, at, caller.Name, action, target, detail), cancellationToken);
}

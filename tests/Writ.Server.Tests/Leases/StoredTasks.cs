using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Server.Tests.Leases;

/// <summary>Active tasks written straight to the store, so the lease reaper keeps their leases while the clock moves.</summary>
internal static class StoredTasks
{
    public static async Task AddAsync(IWritStore store, DateTimeOffset now, params string[] ids)
    {
        foreach (var id in ids)
        {
            var intent = new TaskIntent("call upstream", [new ToolGrant("crm.search", ["connection:crm"])], Sensitivity.Internal, TimeSpan.FromMinutes(30));
            var added = await store.Tasks.AddAsync(new TaskRecord(id, "research", "alice", null, intent, null, id, [], "https://gateway.test", TaskState.Active, now, now.AddMinutes(30), null, null, null), TestContext.Current.CancellationToken);
            Assert.Equal(StoreOutcome.Success, added.Outcome);
        }
    }
}

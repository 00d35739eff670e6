using System.Text.Json;
using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>The JSON shape of a task in the admin API and the completion response.</summary>
internal static class TaskViews
{
    public static object Task(TaskRecord task) => new
    {
        id = task.Id,
        agent = task.Agent,
        owner = task.Owner,
        user = task.User,
        intent = JsonDocument.Parse(task.Intent.ToJson()).RootElement,
        parentId = task.ParentId,
        rootId = task.RootId,
        chain = task.Chain,
        depth = task.Depth,
        audience = task.Audience,
        state = TaskStateNames.Of(task.State),
        createdAt = task.CreatedAt,
        expiresAt = task.ExpiresAt,
        endedAt = task.EndedAt,
        endedBy = task.EndedBy,
        dpopJkt = task.Jkt,
    };
}

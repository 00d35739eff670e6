using System.Globalization;

namespace Writ.Bench.Cedar;

/// <summary>
/// A task-list app shaped like the Cedar paper's tinytodo: users in teams, lists with an owner and their
/// own reader and editor teams, tasks as records inside the list, and a client address in the context.
/// </summary>
internal static class TinyTodoWorkload
{
    public static Workload Create(int seed = 3, int requestCount = 500)
    {
        var b = new WorkloadBuilder(seed);
        var app = b.Add("Application", "TinyTodo");
        string[] appActions = ["CreateList", "GetLists"];
        string[] listActions = ["GetList", "UpdateList", "DeleteList", "CreateTask", "UpdateTask", "DeleteTask", "EditShare"];
        var appActionUids = appActions.Select(a => b.Add("Action", a).Uid).ToList();
        var listActionUids = listActions.Select(a => b.Add("Action", a).Uid).ToList();

        var interns = b.Add("Team", "interns");
        var teams = new List<GenEntity> { interns };
        for (var i = 0; i < 30; i++)
        {
            var t = b.Add("Team", $"t{i}");
            if (i >= 5 && b.Chance(0.4))
            {
                t.Parents.Add(b.Pick(teams).Uid);
            }

            teams.Add(t);
        }

        var users = new List<GenEntity>();
        for (var i = 0; i < 200; i++)
        {
            var u = b.Add("User", $"u{i}");
            u.Attrs["name"] = $"user {i}";
            u.Attrs["joblevel"] = (long)b.Random.Next(1, 10);
            u.Attrs["location"] = b.Pick(Locations);
            u.Parents.Add(app.Uid);
            foreach (var t in b.PickDistinct(teams, b.Random.Next(1, 3)))
            {
                u.Parents.Add(t.Uid);
            }

            users.Add(u);
        }

        var lists = new List<GenEntity>();
        for (var i = 0; i < 400; i++)
        {
            var l = b.Add("List", $"l{i}");
            var readers = b.Add("Team", $"l{i}_readers");
            var editors = b.Add("Team", $"l{i}_editors");
            l.Attrs["owner"] = b.Pick(users).Uid;
            l.Attrs["name"] = $"list {i}";
            l.Attrs["readers"] = readers.Uid;
            l.Attrs["editors"] = editors.Uid;
            var tasks = new List<object>();
            for (var k = b.Random.Next(6); k > 0; k--)
            {
                tasks.Add(new SortedDictionary<string, object>(StringComparer.Ordinal)
                {
                    ["id"] = (long)tasks.Count,
                    ["name"] = $"task {tasks.Count}",
                    ["state"] = b.Chance(0.5) ? "checked" : "unchecked",
                });
            }

            l.Attrs["tasks"] = tasks;
            l.Parents.Add(app.Uid);

            // Sharing a list adds users or whole teams to its reader or editor team.
            for (var k = b.Random.Next(4); k > 0; k--)
            {
                var target = b.Chance(0.6) ? readers : editors;
                (b.Chance(0.85) ? b.Pick(users) : b.Pick(teams)).Parents.Add(target.Uid);
            }

            lists.Add(l);
        }

        var text = string.Create(CultureInfo.InvariantCulture, $$"""
            permit(principal, action in [Action::"CreateList", Action::"GetLists"], resource == {{app.Uid}});
            // Every request evaluates this one.
            permit(principal, action, resource) when { resource has owner && resource.owner == principal };
            permit(principal, action == Action::"GetList", resource) when { principal in resource.readers || principal in resource.editors };
            permit(principal, action in [Action::"UpdateList", Action::"CreateTask", Action::"UpdateTask", Action::"DeleteTask"], resource) when { principal in resource.editors };
            forbid(principal in {{interns.Uid}}, action == Action::"CreateList", resource == {{app.Uid}});
            permit(principal, action == Action::"GetList", resource is List) when { principal.joblevel >= 8 && principal.location like "HQ*" };
            forbid(principal, action in [Action::"UpdateList", Action::"DeleteList", Action::"EditShare"], resource) unless { context.client.isInRange(ip("10.0.0.0/8")) || context.client.isLoopback() };
            forbid(principal, action == Action::"DeleteTask", resource is List) when { context.task == 0 && resource.tasks.contains({"id": 0, "name": "task 0", "state": "checked"}) };

            """);

        var requests = new List<GenRequest>(requestCount);
        for (var i = 0; i < requestCount; i++)
        {
            GenUid principal;
            GenUid action;
            GenUid resource;
            if (b.Chance(0.15))
            {
                (principal, action, resource) = (b.Pick(users).Uid, b.Pick(appActionUids), app.Uid);
            }
            else
            {
                var list = b.Pick(lists);
                principal = b.Chance(0.3) ? (GenUid)list.Attrs["owner"] : b.Pick(users).Uid;
                (action, resource) = (b.Pick(listActionUids), list.Uid);
            }

            var context = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["client"] = new GenExtension("ip", b.Chance(0.8) ? $"10.{b.Random.Next(256)}.{b.Random.Next(256)}.{b.Random.Next(1, 255)}" : $"192.168.{b.Random.Next(256)}.{b.Random.Next(1, 255)}"),
                ["task"] = (long)b.Random.Next(6),
            };
            requests.Add(b.WithSlice(new GenRequest(principal, action, resource, context)));
        }

        return new Workload("tinytodo", text, b.Entities, requests);
    }

    private static readonly string[] Locations = ["HQ-Seattle", "HQ-Dublin", "Remote", "Branch-Tokyo"];
}

using System.Globalization;
using System.Text;

namespace Writ.Bench.Cedar;

/// <summary>
/// Ten thousand policies over thousands of principals and resources: per-user and per-group grants on
/// documents, folders and projects, resource-scoped clearance rules, forbids, and a handful of unscoped
/// policies that every request evaluates.
/// </summary>
internal static class LargePolicySetWorkload
{
    public const int PolicyCount = 10_000;

    public static Workload Create(int seed = 4, int requestCount = 300)
    {
        var b = new WorkloadBuilder(seed);
        string[] actionNames = ["read", "write", "delete", "share"];
        var actions = actionNames.Select(a => b.Add("Action", a).Uid).ToList();

        var departments = Enumerable.Range(0, 10).Select(i => b.Add("Department", $"dep{i}").Uid).ToList();
        var groups = new List<GenUid>();
        for (var i = 0; i < 200; i++)
        {
            var g = b.Add("Group", $"g{i}");
            g.Parents.Add(b.Pick(departments));
            groups.Add(g.Uid);
        }

        var users = new List<GenUid>();
        for (var i = 0; i < 3000; i++)
        {
            var u = b.Add("User", $"u{i}");
            u.Attrs["clearance"] = (long)b.Random.Next(5);
            u.Attrs["suspended"] = b.Chance(0.01);
            foreach (var g in b.PickDistinct(groups, 1 + b.Random.Next(2)))
            {
                u.Parents.Add(g);
            }

            users.Add(u.Uid);
        }

        var projects = Enumerable.Range(0, 50).Select(i => b.Add("Project", $"p{i}").Uid).ToList();
        var folders = new List<GenUid>();
        for (var i = 0; i < 600; i++)
        {
            var f = b.Add("Folder", $"f{i}");
            f.Parents.Add(b.Pick(projects));
            folders.Add(f.Uid);
        }

        var docs = new List<GenUid>();
        for (var i = 0; i < 8000; i++)
        {
            var d = b.Add("Doc", $"d{i}");
            d.Attrs["owner"] = b.Pick(users);
            d.Attrs["level"] = (long)b.Random.Next(5);
            d.Attrs["public"] = b.Chance(0.05);
            d.Attrs["tags"] = b.PickDistinct(Tags, b.Random.Next(3)).Cast<object>().ToList();
            d.Parents.Add(b.Pick(folders));
            docs.Add(d.Uid);
        }

        var text = new StringBuilder();
        var scoped = new List<(GenUid Principal, GenUid Action, GenUid Resource)>();

        // Every request evaluates these.
        string[] unscoped =
        [
            "permit(principal, action, resource) when { resource has owner && resource.owner == principal };",
            "forbid(principal, action, resource) when { principal has suspended && principal.suspended };",
            "permit(principal, action == Action::\"read\", resource) when { resource has public && resource.public };",
            "forbid(principal, action == Action::\"delete\", resource) unless { context.mfa };",
            "forbid(principal, action, resource is Doc) when { resource.level > 3 && !(principal has clearance && principal.clearance >= 3) };",
        ];
        var count = 0;
        foreach (var p in unscoped)
        {
            text.Append(p).Append('\n');
            count++;
        }

        for (var i = 0; count < 20; i++, count++)
        {
            text.Append(CultureInfo.InvariantCulture, $"forbid(principal, action == {b.Pick(actions)}, resource) when {{ context.hour == {24 + i} }};\n");
        }

        while (count < PolicyCount)
        {
            // Each policy is written for a (user, action, document) it should apply to; requests reuse those.
            var kind = b.Random.Next(100);
            var action = b.Pick(actions);
            var user = b.Get(b.Pick(users));
            var doc = b.Get(b.Pick(docs));
            var folder = doc.Parents[0];
            var project = b.Get(folder).Parents[0];
            var group = user.Parents[0];
            var department = b.Get(group).Parents[0];
            if (kind < 40)
            {
                text.Append(CultureInfo.InvariantCulture, $"permit(principal == {user.Uid}, action == {action}, resource == {doc.Uid});\n");
            }
            else if (kind < 60)
            {
                action = actions[b.Random.Next(2)];
                text.Append(CultureInfo.InvariantCulture, $"permit(principal in {group}, action in [Action::\"read\", Action::\"write\"], resource in {folder});\n");
            }
            else if (kind < 75)
            {
                text.Append(CultureInfo.InvariantCulture, $"permit(principal == {user.Uid}, action, resource in {project}) when {{ context.hour >= 8 && context.hour < 18 }};\n");
            }
            else if (kind < 85)
            {
                action = actions[2];
                text.Append(CultureInfo.InvariantCulture, $"forbid(principal == {user.Uid}, action == {action}, resource in {folder});\n");
            }
            else if (kind < 95)
            {
                text.Append(CultureInfo.InvariantCulture, $"permit(principal, action == {action}, resource == {doc.Uid}) when {{ principal has clearance && principal.clearance >= resource.level }};\n");
            }
            else
            {
                action = actions[0];
                text.Append(CultureInfo.InvariantCulture, $"permit(principal in {department}, action == {action}, resource is Doc) when {{ resource.tags.contains(\"{b.Pick(Tags)}\") }};\n");
            }

            scoped.Add((user.Uid, action, doc.Uid));
            count++;
        }

        var requests = new List<GenRequest>(requestCount);
        for (var i = 0; i < requestCount; i++)
        {
            // Most requests aim at some policy's scope, so they meet a realistic number of candidates.
            var (principal, action, resource) = b.Chance(0.7) ? b.Pick(scoped) : (b.Pick(users), b.Pick(actions), b.Pick(docs));

            var context = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["hour"] = (long)b.Random.Next(24),
                ["mfa"] = b.Chance(0.7),
            };
            requests.Add(b.WithSlice(new GenRequest(principal, action, resource, context)));
        }

        return new Workload("policies10k", text.ToString(), b.Entities, requests);
    }

    private static readonly string[] Tags = ["finance", "legal", "hr", "eng", "ops", "sales", "secret", "draft"];
}

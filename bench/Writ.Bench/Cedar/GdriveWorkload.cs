using System.Globalization;
using System.Text;

namespace Writ.Bench.Cedar;

/// <summary>
/// A document-sharing app shaped like the Cedar paper's gdrive: users in (nested) groups, a folder tree,
/// documents with an owner, viewer and editor lists; shares are scoped policies on folders and documents.
/// </summary>
internal static class GdriveWorkload
{
    public static Workload Create(int seed = 1, int requestCount = 500)
    {
        var b = new WorkloadBuilder(seed);
        var read = b.Add("Action", "read");
        var write = b.Add("Action", "write");
        string[] readActions = ["view", "comment"];
        string[] writeActions = ["edit", "share", "delete"];
        var actions = new List<GenUid>();
        foreach (var a in readActions)
        {
            var e = b.Add("Action", a);
            e.Parents.Add(read.Uid);
            actions.Add(e.Uid);
        }

        foreach (var a in writeActions)
        {
            var e = b.Add("Action", a);
            e.Parents.Add(write.Uid);
            actions.Add(e.Uid);
        }

        var everyone = b.Add("Group", "everyone");
        var groups = new List<GenUid>();
        for (var i = 0; i < 40; i++)
        {
            var g = b.Add("Group", $"g{i}");
            g.Attrs["name"] = $"group {i}";
            g.Parents.Add(i < 8 ? everyone.Uid : b.Pick(groups));
            groups.Add(g.Uid);
        }

        var users = new List<GenUid>();
        var membersOf = groups.ToDictionary(g => g, _ => new List<GenUid>());
        for (var i = 0; i < 300; i++)
        {
            var u = b.Add("User", $"u{i}");
            u.Attrs["name"] = $"user {i}";
            u.Attrs["active"] = !b.Chance(0.03);
            u.Attrs["department"] = b.Pick(Departments);
            foreach (var g in b.PickDistinct(groups, 1 + b.Random.Next(3)))
            {
                u.Parents.Add(g);
                membersOf[g].Add(u.Uid);
            }

            users.Add(u.Uid);
        }

        var folders = new List<GenUid>();
        for (var i = 0; i < 120; i++)
        {
            var f = b.Add("Folder", $"f{i}");
            f.Attrs["owner"] = b.Pick(users);
            f.Attrs["name"] = $"folder {i}";
            if (i >= 10)
            {
                f.Parents.Add(folders[b.Random.Next(Math.Max(0, i - 30), i)]);
            }

            folders.Add(f.Uid);
        }

        var documents = new List<GenEntity>();
        for (var i = 0; i < 1500; i++)
        {
            var d = b.Add("Document", $"d{i}");
            d.Attrs["owner"] = b.Pick(users);
            d.Attrs["isPublic"] = b.Chance(0.08);
            d.Attrs["locked"] = b.Chance(0.05);
            d.Attrs["viewers"] = Principals(b, users, groups, b.Random.Next(4));
            d.Attrs["editors"] = Principals(b, users, groups, b.Random.Next(3));
            d.Parents.Add(b.Pick(folders));
            documents.Add(d);
        }

        var text = new StringBuilder();
        text.Append("""
            // Every request evaluates these: owners may do anything, public documents are viewable.
            permit(principal, action, resource) when { resource has owner && resource.owner == principal };
            permit(principal, action == Action::"view", resource) when { resource has isPublic && resource.isPublic };
            permit(principal, action in Action::"read", resource is Document) when { principal in resource.viewers || principal in resource.editors };
            permit(principal, action in [Action::"edit", Action::"comment"], resource is Document) when { principal in resource.editors };
            permit(principal, action == Action::"share", resource is Document) when { principal in resource.editors && !resource.locked };
            forbid(principal, action in Action::"write", resource) when { resource has locked && resource.locked && !(resource has owner && resource.owner == principal) };
            forbid(principal is User, action, resource) unless { principal.active && context.authenticated };
            forbid(principal, action == Action::"delete", resource is Document) unless { resource.owner == principal || context.mfa };

            """);

        // Folder and document shares, as a sharing dialog would create them.
        for (var i = 0; i < 150; i++)
        {
            var who = b.Chance(0.5) ? $"principal in {b.Pick(groups)}" : $"principal == {b.Pick(users)}";
            var what = b.Chance(0.6) ? "action in Action::\"read\"" : "action";
            var where = b.Chance(0.6) ? $"resource in {b.Pick(folders)}" : $"resource == {b.Pick(documents).Uid}";
            text.Append(CultureInfo.InvariantCulture, $"permit({who}, {what}, {where});\n");
        }

        var requests = new List<GenRequest>(requestCount);
        for (var i = 0; i < requestCount; i++)
        {
            var doc = b.Pick(documents);
            var principal = b.Random.Next(4) switch
            {
                0 => (GenUid)doc.Attrs["owner"],
                1 => MemberOf(b, (List<object>)doc.Attrs["viewers"], membersOf) ?? b.Pick(users),
                2 => MemberOf(b, (List<object>)doc.Attrs["editors"], membersOf) ?? b.Pick(users),
                _ => b.Pick(users),
            };
            GenUid resource = b.Chance(0.1) ? b.Pick(folders) : doc.Uid;
            var context = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["authenticated"] = !b.Chance(0.02),
                ["mfa"] = b.Chance(0.5),
            };
            requests.Add(b.WithSlice(new GenRequest(principal, b.Pick(actions), resource, context)));
        }

        return new Workload("gdrive", text.ToString(), b.Entities, requests);
    }

    private static readonly string[] Departments = ["engineering", "sales", "legal", "finance", "support"];

    private static List<object> Principals(WorkloadBuilder b, List<GenUid> users, List<GenUid> groups, int count)
    {
        var list = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            var who = b.Chance(0.6) ? b.Pick(groups) : b.Pick(users);
            if (!list.Contains(who))
            {
                list.Add(who);
            }
        }

        return list;
    }

    private static GenUid? MemberOf(WorkloadBuilder b, List<object> grantees, Dictionary<GenUid, List<GenUid>> membersOf)
    {
        if (grantees.Count == 0)
        {
            return null;
        }

        var g = (GenUid)b.Pick(grantees);
        return g.Type == "User" ? g : membersOf[g].Count > 0 ? b.Pick(membersOf[g]) : null;
    }
}

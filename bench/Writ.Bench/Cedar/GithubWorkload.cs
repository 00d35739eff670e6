using System.Globalization;
using System.Text;

namespace Writ.Bench.Cedar;

/// <summary>
/// A code-hosting app shaped like the Cedar paper's github: users in teams and orgs, repositories whose
/// read/triage/write/maintain/admin roles are nested user groups, and issues that point at their repository.
/// </summary>
internal static class GithubWorkload
{
    private static readonly string[] Roles = ["readers", "triagers", "writers", "maintainers", "admins"];

    public static Workload Create(int seed = 2, int requestCount = 500)
    {
        var b = new WorkloadBuilder(seed);
        string[] actionNames =
        [
            "pull", "fork", "push", "add_reader", "add_triager", "add_writer", "add_maintainer", "add_admin",
            "delete_repo", "edit_issue", "delete_issue", "assign_issue",
        ];
        var actions = actionNames.Select(a => b.Add("Action", a).Uid).ToList();
        var repoActions = actions.Take(9).ToList();
        var issueActions = actions.Skip(9).ToList();

        var orgs = new List<GenUid>();
        for (var i = 0; i < 5; i++)
        {
            var o = b.Add("Org", $"o{i}");
            o.Attrs["name"] = $"org {i}";
            orgs.Add(o.Uid);
        }

        var teams = new List<GenEntity>();
        for (var i = 0; i < 60; i++)
        {
            var t = b.Add("Team", $"t{i}");
            t.Parents.Add(i < 15 || b.Chance(0.5) ? b.Pick(orgs) : b.Pick(teams).Uid);
            teams.Add(t);
        }

        var users = new List<GenEntity>();
        for (var i = 0; i < 300; i++)
        {
            var u = b.Add("User", $"u{i}");
            u.Attrs["login"] = $"user{i}";
            u.Attrs["suspended"] = b.Chance(0.02);
            foreach (var t in b.PickDistinct(teams, 1 + b.Random.Next(2)))
            {
                u.Parents.Add(t.Uid);
            }

            users.Add(u);
        }

        var repos = new List<GenEntity>();
        var roleGroups = new List<GenEntity>();
        for (var i = 0; i < 200; i++)
        {
            var r = b.Add("Repository", $"r{i}");
            r.Attrs["name"] = $"repo {i}";
            r.Attrs["isPrivate"] = b.Chance(0.6);
            r.Parents.Add(b.Pick(orgs));

            // admins ⊂ maintainers ⊂ writers ⊂ triagers ⊂ readers, as nested groups.
            GenEntity? wider = null;
            var chain = new List<GenEntity>();
            foreach (var role in Roles)
            {
                var g = b.Add("UserGroup", $"r{i}_{role}");
                if (wider is not null)
                {
                    g.Parents.Add(wider.Uid);
                }

                r.Attrs[role] = g.Uid;
                chain.Add(g);
                wider = g;
            }

            roleGroups.AddRange(chain);
            repos.Add(r);
        }

        // Grant roles: a team or a user joins one role group of a repository.
        foreach (var t in teams)
        {
            for (var k = b.Random.Next(2); k > 0; k--)
            {
                t.Parents.Add(b.Pick(roleGroups).Uid);
            }
        }

        foreach (var u in users)
        {
            for (var k = b.Random.Next(3); k > 0; k--)
            {
                u.Parents.Add(b.Pick(roleGroups).Uid);
            }
        }

        var issues = new List<GenEntity>();
        for (var i = 0; i < 1500; i++)
        {
            var issue = b.Add("Issue", $"i{i}");
            var repo = b.Pick(repos);
            issue.Attrs["repo"] = repo.Uid;
            issue.Attrs["reporter"] = b.Pick(users).Uid;
            issue.Attrs["title"] = $"issue {i}";
            issues.Add(issue);
        }

        var text = new StringBuilder();
        text.Append("""
            permit(principal, action in [Action::"pull", Action::"fork"], resource is Repository) when { principal in resource.readers };
            permit(principal, action == Action::"pull", resource is Repository) when { !resource.isPrivate };
            permit(principal, action == Action::"push", resource is Repository) when { principal in resource.writers };
            permit(principal, action in [Action::"add_reader", Action::"add_triager", Action::"add_writer"], resource is Repository) when { principal in resource.maintainers };
            permit(principal, action in [Action::"add_maintainer", Action::"add_admin", Action::"delete_repo"], resource is Repository) when { principal in resource.admins };
            permit(principal, action in [Action::"edit_issue", Action::"delete_issue"], resource is Issue) when { principal == resource.reporter && principal in resource.repo.readers };
            permit(principal, action == Action::"assign_issue", resource is Issue) when { principal in resource.repo.triagers };
            permit(principal, action in [Action::"edit_issue", Action::"delete_issue"], resource is Issue) when { principal in resource.repo.writers };
            // Every request evaluates this one.
            forbid(principal, action, resource) when { principal has suspended && principal.suspended };

            """);
        foreach (var o in orgs)
        {
            text.Append(CultureInfo.InvariantCulture, $"permit(principal in {o}, action == Action::\"pull\", resource in {o}) when {{ !resource.isPrivate || principal in resource.readers }};\n");
        }

        var requests = new List<GenRequest>(requestCount);
        for (var i = 0; i < requestCount; i++)
        {
            var onIssue = b.Chance(0.4);
            var resource = onIssue ? b.Pick(issues) : b.Pick(repos);
            var repo = onIssue ? b.Get((GenUid)resource.Attrs["repo"]) : resource;
            var principal = b.Random.Next(3) switch
            {
                0 => onIssue ? (GenUid)resource.Attrs["reporter"] : b.Pick(users).Uid,
                1 => MemberOfRole(b, users, repo) ?? b.Pick(users).Uid,
                _ => b.Pick(users).Uid,
            };
            var action = onIssue ? b.Pick(issueActions) : b.Pick(repoActions);
            requests.Add(b.WithSlice(new GenRequest(principal, action, resource.Uid, new SortedDictionary<string, object>(StringComparer.Ordinal))));
        }

        return new Workload("github", text.ToString(), b.Entities, requests);
    }

    /// <summary>A user directly in one of the repository's role groups, if any.</summary>
    private static GenUid? MemberOfRole(WorkloadBuilder b, List<GenEntity> users, GenEntity repo)
    {
        var roles = Roles.Select(r => (GenUid)repo.Attrs[r]).ToHashSet();
        var members = users.Where(u => u.Parents.Any(roles.Contains)).Select(u => u.Uid).ToList();
        return members.Count == 0 ? null : b.Pick(members);
    }
}

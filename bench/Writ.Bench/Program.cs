using System.Globalization;
using BenchmarkDotNet.Running;
using Writ.Bench.Cedar;
using Writ.Bench.Crypto;
using Writ.Bench.Identity;

// Plain verbs used by the load scripts in bench/load; anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "ceiling":
        {
            // ceiling <threads> <seconds>: ES256 verify+sign pairs per second on that many threads.
            var threads = int.Parse(args[1], CultureInfo.InvariantCulture);
            var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
            var perSecond = Es256Ceiling.Measure(threads, TimeSpan.FromSeconds(seconds));
            Console.WriteLine(perSecond.ToString("F0", CultureInfo.InvariantCulture));
            return 0;
        }
    case "assertions":
        // assertions <spiffe-id> <audience> <count> <public-jwk-out> <assertions-out>
        AssertionFile.Write(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4], args[5]);
        return 0;
    case "cedar":
        // cedar gen|run|report <dir> ...: the Cedar side-by-side run driven by bench/cedar.sh.
        return CedarVerb.Run(args);
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Es256Benchmarks).Assembly).Run(args);
        return 0;
}

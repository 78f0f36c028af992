using Songjiang.PolicyRadar.Benchmarks;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using System.Diagnostics;

// In-process driver for the policy radar's matching engine and search index. The baseline of each matching figure
// is a naive evaluation of every pair, run in the same process on the same data; results must be identical.
// Usage: Songjiang.PolicyRadar.Benchmarks [enterprises] [policies] [searchPolicies]   (or --quick for a smoke run)
var quick = args.Contains("--quick");
var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(int.Parse).ToArray();
var enterpriseCount = numbers.Length > 0 ? numbers[0] : quick ? 10_000 : 100_000;
var policyCount = numbers.Length > 1 ? numbers[1] : quick ? 200 : 2_000;
var searchCount = numbers.Length > 2 ? numbers[2] : quick ? 1_000 : 10_000;
var on = new DateOnly(2026, 11, 28);

Console.WriteLine($"{Environment.ProcessorCount} cores, {enterpriseCount:N0} enterprises x {policyCount:N0} policies, search over {searchCount:N0} policies");
var baseline = Memory.Managed();
var enterprises = SyntheticData.Enterprises(enterpriseCount, seed: 2026);
var policies = SyntheticData.Policies(policyCount, seed: 60);
using var engine = new MatchingEngine();
var load = Stopwatch.StartNew();
foreach (var facts in enterprises)
{
    engine.UpsertEnterprise(facts, facts.Uscc);
}
foreach (var policy in policies)
{
    engine.UpsertPolicy(policy);
}
load.Stop();
Console.WriteLine($"load: {load.Elapsed.TotalSeconds:F2} s; engine with data: {Memory.Managed() - baseline:N0} MB managed, process working set {Memory.WorkingSet():N0} MB");

// (a) Full match: indexed engine against every pair, identical results required. Both sides run on one thread and
// return the same thing: each policy's eligible enterprises as an ascending array of dense ids.
var indexedGc = GcSnapshot.Take();
var indexedCpu = Memory.ProcessorTime();
var indexedTime = Stopwatch.StartNew();
var indexed = new List<int[]>(policies.Count);
foreach (var policy in policies)
{
    indexed.Add(engine.EligibleIds(policy, on));
}
indexedTime.Stop();
indexedCpu = Memory.ProcessorTime() - indexedCpu;
indexedGc = indexedGc.Since();
var naiveGc = GcSnapshot.Take();
var naiveCpu = Memory.ProcessorTime();
var naiveTime = Stopwatch.StartNew();
var naive = new List<int[]>(policies.Count);
foreach (var policy in policies)
{
    naive.Add(engine.EligibleIdsNaive(policy, on));
}
naiveTime.Stop();
naiveCpu = Memory.ProcessorTime() - naiveCpu;
naiveGc = naiveGc.Since();
// Compared outside the timed sections: the same enterprises for every policy.
var identical = indexed.Zip(naive).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
var pairs = indexed.Sum(l => (long)l.Length);
var candidates = policies.Sum(p => (long)engine.CandidateCount(p, on));
Console.WriteLine($"(a) full match: indexed {indexedTime.Elapsed.TotalSeconds:F2} s, naive {naiveTime.Elapsed.TotalSeconds:F2} s, " +
    $"speed-up {naiveTime.Elapsed / indexedTime.Elapsed:F1}x; identical: {identical}; eligible pairs {pairs:N0}; " +
    $"candidates left by the index {candidates:N0} of {(long)enterpriseCount * policyCount:N0} ({100.0 * candidates / ((long)enterpriseCount * policyCount):F2}%)");
// On a shared machine the wall clock also counts time spent waiting for a core; the process's processor time does not.
Console.WriteLine($"    processor time: indexed {indexedCpu.TotalSeconds:F2} s, naive {naiveCpu.TotalSeconds:F2} s, ratio {naiveCpu / indexedCpu:F1}x; " +
    $"garbage collection: indexed {indexedGc}; naive {naiveGc}");
if (!identical)
{
    Console.WriteLine("RESULTS DIFFER");
    return 1;
}

// (b) One new policy against every enterprise (what a publish runs), 50 policies not seen before.
var fresh = SyntheticData.Policies(50, seed: 61).Select((p, i) => SyntheticData.Compile(policyCount + i, p.Criteria.Criteria is { } c ? Json(c) : "")).ToList();
var perPolicy = new List<double>();
var perPolicyNaive = new List<double>();
foreach (var policy in fresh)
{
    var watch = Stopwatch.StartNew();
    engine.UpsertPolicy(policy);
    var found = engine.EligibleIds(policy, on);
    perPolicy.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    var all = engine.EligibleIdsNaive(policy, on);
    perPolicyNaive.Add(watch.Elapsed.TotalMilliseconds);
    if (!found.AsSpan().SequenceEqual(all))
    {
        Console.WriteLine("RESULTS DIFFER for a new policy");
        return 1;
    }
}
Console.WriteLine($"(b) one new policy vs all enterprises: indexed p50 {Percentile(perPolicy, 50):F1} ms, p95 {Percentile(perPolicy, 95):F1} ms, max {perPolicy.Max():F1} ms; " +
    $"naive p50 {Percentile(perPolicyNaive, 50):F1} ms, p95 {Percentile(perPolicyNaive, 95):F1} ms");

// (c) One enterprise's eligible list with explanations (what the API returns), and with near misses too.
var random = new Random(7);
var eligibleTimes = new List<double>();
var nearMissTimes = new List<double>();
var naiveListTimes = new List<double>();
var allPolicies = engine.Policies();
for (var i = 0; i < 2_000; i++)
{
    var facts = enterprises[random.Next(enterprises.Count)];
    var watch = Stopwatch.StartNew();
    var eligible = engine.EligiblePolicies(facts, on);
    foreach (var policy in eligible)
    {
        _ = policy.Criteria.Evaluate(facts, on);
    }
    eligibleTimes.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    _ = engine.NearMisses(facts, on);
    nearMissTimes.Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
    var naiveCount = allPolicies.Count(p => facts.Stage != "Deregistered" && p.IsCurrentOn(on) && p.Criteria.IsMet(facts, on));
    naiveListTimes.Add(watch.Elapsed.TotalMilliseconds);
    if (naiveCount != eligible.Count)
    {
        Console.WriteLine("RESULTS DIFFER for an enterprise");
        return 1;
    }
}
Console.WriteLine($"(c) one enterprise's eligible list (explained): p50 {Percentile(eligibleTimes, 50):F3} ms, p95 {Percentile(eligibleTimes, 95):F3} ms; " +
    $"naive scan p95 {Percentile(naiveListTimes, 95):F3} ms; near misses p50 {Percentile(nearMissTimes, 50):F2} ms, p95 {Percentile(nearMissTimes, 95):F2} ms");

// (d) Search: Chinese queries with and without filters over the synthetic policies.
using var index = new PolicySearchIndex(TimeProvider.System);
var before = Memory.Managed();
var build = Stopwatch.StartNew();
index.Upsert(SyntheticData.Documents(searchCount, seed: 9));
build.Stop();
Console.WriteLine($"(d) index of {index.Count:N0} policies built in {build.Elapsed.TotalSeconds:F2} s, {Memory.Managed() - before:N0} MB managed");
string[] queries = ["研发", "高新技术企业", "集成电路 流片", "知识产权质押融资", "科技创新券 通用通兑", "人才安居", "生物医药临床试验", "人工智能算力补贴", "专精特新", "免申即享", "影视", "上市扶持"];
var searchTimes = new List<double>();
var hits = 0L;
for (var i = 0; i < 3_000; i++)
{
    var filtered = i % 3 == 0;
    var query = new PolicyQuery(queries[i % queries.Length], Level: filtered ? "Songjiang" : null, OpenNow: i % 4 == 0 ? true : null, Page: 1 + (i % 2));
    var watch = Stopwatch.StartNew();
    var result = index.Search(query);
    searchTimes.Add(watch.Elapsed.TotalMilliseconds);
    hits += result.Total;
}
Console.WriteLine($"(d) search with highlighting and facets: p50 {Percentile(searchTimes, 50):F2} ms, p95 {Percentile(searchTimes, 95):F2} ms, max {searchTimes.Max():F1} ms; average hits {hits / searchTimes.Count:N0}");
var plainTimes = new List<double>();
for (var i = 0; i < 3_000; i++)
{
    var query = new PolicyQuery(queries[i % queries.Length], Level: i % 3 == 0 ? "Songjiang" : null, OpenNow: i % 4 == 0 ? true : null, Page: 1 + (i % 2), Highlight: false);
    var watch = Stopwatch.StartNew();
    _ = index.Search(query);
    plainTimes.Add(watch.Elapsed.TotalMilliseconds);
}
var sample = index.Search(new PolicyQuery("集成电路 流片", PageSize: 1)).Items[0];
Console.WriteLine($"    first hit for 集成电路 流片: {sample.TitleHighlighted} — {sample.Snippet}");
Console.WriteLine($"(d) search with facets, without highlighting: p50 {Percentile(plainTimes, 50):F2} ms, p95 {Percentile(plainTimes, 95):F2} ms");
Console.WriteLine($"memory at the end: {Memory.Managed() - baseline:N0} MB managed, process working set {Memory.WorkingSet():N0} MB, peak {Memory.PeakWorkingSet():N0} MB");
return 0;

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string Json(Songjiang.PolicyRadar.Api.Criteria.Clause clause) => ClauseJson.Write(clause);

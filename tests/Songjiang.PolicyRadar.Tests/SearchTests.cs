using Microsoft.Extensions.Time.Testing;
using Songjiang.PolicyRadar.Api.Search;

namespace Songjiang.PolicyRadar.Tests;

public sealed class SearchTests : IDisposable
{
    // 2026-11-28 noon in Shanghai.
    private readonly PolicySearchIndex _index = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 4, 0, 0, TimeSpan.Zero)));

    public SearchTests() => _index.Upsert(SeedPolicies.Documents);

    public void Dispose() => _index.Dispose();

    [Fact]
    public void The_seed_holds_at_least_fifty_policies_on_every_level()
    {
        Assert.True(SeedPolicies.All.Count >= 50);
        Assert.Equal(["G60", "National", "Shanghai", "Songjiang"], SeedPolicies.All.Select(p => p.Level.ToString()).Distinct().Order());
        Assert.Equal(SeedPolicies.All.Count, _index.Count);
    }

    [Fact]
    public void The_analyzer_segments_Chinese_into_words()
    {
        Assert.Contains("研发", _index.Tokens("企业研发费用加计扣除"));
        Assert.Contains("扣除", _index.Tokens("企业研发费用加计扣除"));
    }

    [Fact]
    public void A_query_for_研发_finds_the_RD_policies_and_marks_the_word()
    {
        var result = _index.Search(new PolicyQuery("研发", PageSize: 100));

        var titles = result.Items.Select(i => i.Title).ToList();
        Assert.Contains("企业研发费用税前加计扣除政策", titles);
        Assert.Contains("松江区企业研发投入后补助", titles);
        Assert.Contains("松江区科技型中小企业研发费用补贴（免申即享）", titles);
        Assert.DoesNotContain("上海科技影都影视产业扶持政策", titles);
        Assert.All(result.Items, hit =>
        {
            var policy = SeedPolicies.All.Single(p => p.PolicyId == hit.PolicyId);
            Assert.Contains("研发", policy.Title + policy.FullText + string.Join(" ", policy.Topics), StringComparison.Ordinal);
        });
        Assert.Equal(SeedPolicies.All.Count(p => (p.Title + p.FullText + string.Join(" ", p.Topics)).Contains("研发", StringComparison.Ordinal)), result.Total);
        Assert.Contains("<em>研发</em>", result.Items[0].TitleHighlighted + result.Items[0].Snippet, StringComparison.Ordinal);
        // Policies with the word in their title rank above those that only mention it in the text.
        var firstTextOnly = result.Items.ToList().FindIndex(i => !i.Title.Contains("研发", StringComparison.Ordinal));
        Assert.True(firstTextOnly > 0);
        Assert.All(result.Items.Take(firstTextOnly), i => Assert.Contains("研发", i.Title, StringComparison.Ordinal));
    }

    [Fact]
    public void Snippets_mark_the_words_in_at_most_two_passages_of_the_text()
    {
        var result = _index.Search(new PolicyQuery("流片 补贴", PageSize: 100));

        Assert.NotEmpty(result.Items);
        foreach (var hit in result.Items)
        {
            var policy = SeedPolicies.All.Single(p => p.PolicyId == hit.PolicyId);
            if (policy.Title.Contains("补贴", StringComparison.Ordinal))
            {
                Assert.Contains("<em>补贴</em>", hit.TitleHighlighted, StringComparison.Ordinal);
            }
            if (!policy.FullText.Contains("流片", StringComparison.Ordinal) && !policy.FullText.Contains("补贴", StringComparison.Ordinal))
            {
                continue;
            }
            Assert.Matches("<em>(流片|补贴)</em>", hit.Snippet);
            var passages = Unmarked(hit.Snippet).Split('…');
            Assert.InRange(passages.Length, 1, 2);
            Assert.All(passages, passage =>
            {
                Assert.InRange(passage.Length, 1, 100);
                Assert.Contains(passage, policy.FullText, StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public void A_query_for_高新技术企业_ranks_the_high_tech_policies_first()
    {
        var result = _index.Search(new PolicyQuery("高新技术企业"));

        var top = result.Items.Take(3).Select(i => i.Title).ToList();
        Assert.All(top, title => Assert.Contains("高新技术企业", title, StringComparison.Ordinal));
        Assert.Contains("松江区高新技术企业认定奖励（免申即享）", top);
        Assert.Contains("上海市高新技术企业认定管理和培育", top);
    }

    [Fact]
    public void Facets_count_every_hit_of_the_result()
    {
        var result = _index.Search(new PolicyQuery("企业", PageSize: 5));
        var all = _index.Search(new PolicyQuery("企业", PageSize: 100));
        var hits = all.Items.Select(h => SeedPolicies.All.Single(p => p.PolicyId == h.PolicyId)).ToList();

        Assert.Equal(5, result.Items.Count);
        Assert.Equal(hits.Count, result.Total);
        var levels = result.Facets["level"].ToDictionary(f => f.Value, f => f.Count);
        foreach (var group in hits.GroupBy(p => p.Level.ToString()))
        {
            Assert.Equal(group.Count(), levels[group.Key]);
        }
        var industries = result.Facets["industry"].ToDictionary(f => f.Value, f => f.Count);
        Assert.Equal(hits.Count(p => p.Industries.Contains("集成电路")), industries["集成电路"]);
        var bodies = result.Facets["issuingBody"].ToDictionary(f => f.Value, f => f.Count);
        Assert.Equal(hits.Count(p => p.IssuingBody == "长三角G60科创走廊联席会议办公室"), bodies["长三角G60科创走廊联席会议办公室"]);
        var open = result.Facets["openNow"].ToDictionary(f => f.Value, f => f.Count);
        var today = new DateOnly(2026, 11, 28);
        Assert.Equal(hits.Count(p => p.IsOpenOn(today)), open["true"]);
        Assert.Equal(hits.Count(p => !p.IsOpenOn(today)), open["false"]);
    }

    [Fact]
    public void Filters_narrow_the_result_and_the_facets()
    {
        var result = _index.Search(new PolicyQuery(Level: "G60", Industry: "集成电路", PageSize: 100));

        var expected = SeedPolicies.All.Where(p => p.Level.ToString() == "G60" && p.Industries.Contains("集成电路")).Select(p => p.Title).Order().ToList();
        Assert.Equal(expected, result.Items.Select(i => i.Title).Order());
        Assert.Equal(expected.Count, Assert.Single(result.Facets["level"]).Count);
    }

    [Fact]
    public void Open_now_keeps_only_policies_in_force_with_an_open_window()
    {
        var result = _index.Search(new PolicyQuery(OpenNow: true, PageSize: 100));

        var today = new DateOnly(2026, 11, 28);
        Assert.Equal(SeedPolicies.All.Count(p => p.IsOpenOn(today)), result.Total);
        Assert.DoesNotContain("上海市科技型中小企业技术创新资金", result.Items.Select(i => i.Title));  // window April–May
        Assert.DoesNotContain("松江区制造业企业技术改造补贴（2023年版）", result.Items.Select(i => i.Title));  // expired
        Assert.All(result.Items, i => Assert.True(i.OpenNow));
    }

    [Fact]
    public void Without_words_the_newest_policies_come_first()
    {
        var result = _index.Search(new PolicyQuery(PageSize: 3));

        Assert.Equal(SeedPolicies.All.OrderByDescending(p => p.PublishedAt).Take(3).Select(p => p.Title), result.Items.Select(i => i.Title));
    }

    [Fact]
    public void A_document_number_finds_its_policy()
    {
        var result = _index.Search(new PolicyQuery("松科规〔2025〕2号"));

        Assert.Equal("松江区科技型中小企业研发费用补贴（免申即享）", result.Items[0].Title);
    }

    [Fact]
    public void A_republished_policy_replaces_its_previous_version_in_the_index()
    {
        var original = SeedPolicies.Documents.First();
        _index.Upsert(original with { Version = 2, Title = original.Title + "（2026年修订）" });

        var result = _index.Search(new PolicyQuery("2026年修订"));

        var hit = Assert.Single(result.Items, i => i.PolicyId == original.PolicyId);
        Assert.Equal(2, hit.Version);
        Assert.Equal(SeedPolicies.All.Count, _index.Count);
    }

    private static string Unmarked(string markup) => markup
        .Replace("<em>", "", StringComparison.Ordinal).Replace("</em>", "", StringComparison.Ordinal)
        .Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&#39;", "'", StringComparison.Ordinal)
        .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    [Fact]
    public void Keyword_subscriptions_are_checked_against_a_single_new_policy()
    {
        var chip = SeedPolicies.Documents.Single(d => d.Title == "松江区集成电路产业高质量发展若干措施");

        var matched = _index.MatchingKeywords(chip, ["流片", "集成电路", "影视", "创新药"]);

        Assert.Equal(["流片", "集成电路"], matched);
    }
}

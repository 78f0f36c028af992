using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Matching;
using Songjiang.PolicyRadar.Api.Search;
using System.Globalization;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Benchmarks;

/// <summary>Reproducible enterprises and policies with the spreads of the district's real ones.</summary>
internal static class SyntheticData
{
    private static readonly string[] Locations =
    [
        "yueyang", "yongfeng", "fangsong", "zhongshan", "guangfulin", "jiuliting", "sijing", "sheshan", "chedun", "xinqiao", "dongjing",
        "jiuting", "maogang", "shihudang", "xinbang", "yexie", "xiaokunshan", "330400", "330100", "330700", "320500", "330500", "341800",
        "340200", "340100",
    ];

    // GB/T 4754 codes across the sections a district's register holds, trade and services as common as industry.
    private static readonly string[] Industries =
    [
        "A0141", "C1391", "C1761", "C1922", "C2214", "C2319", "C2614", "C2710", "C2720", "C2770", "C2927", "C3099", "C3311", "C3484", "C3562",
        "C3581", "C3670", "C3841", "C3919", "C3969", "C3973", "C3974", "D4411", "E4812", "F5123", "F5137", "F5174", "F5191", "F5274",
        "F5292", "G5438", "G5821", "H6110", "H6210", "I6311", "I6450", "I6511", "I6513", "I6520", "I6550", "K7010", "K7020", "L7211",
        "L7221", "L7250", "L7281", "M7320", "M7340", "M7451", "M7520", "N7723", "O8010", "P8336", "Q8421", "R8610", "R8710", "R8750",
    ];

    private static readonly string[] Kinds = ["high-tech", "tech-sme", "tech-giant", "specialised-sme", "gazelle", "unicorn", "headquarters", "foreign-invested"];
    private static readonly string[] Sizes = ["Micro", "Small", "Medium", "Large"];

    public static List<EnterpriseFacts> Enterprises(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<EnterpriseFacts>(count);
        for (var i = 0; i < count; i++)
        {
            var revenue = (decimal)Math.Round(Math.Exp(random.NextDouble() * 12), 0);
            // Shares close to the district's: a few per cent high-tech, about one in ten a tech SME, the rest rarer.
            var qualifications = Kinds.Where((_, k) => random.NextDouble() < k switch { 0 => 0.05, 1 => 0.10, _ => 0.015 })
                .Select(k => new HeldQualification(k, new DateOnly(2022 + random.Next(5), 1 + random.Next(12), 1), new DateOnly(2025 + random.Next(4), 1 + random.Next(12), 28)))
                .ToList();
            var stage = random.NextDouble() switch { < 0.85 => "Operating", < 0.92 => "Changing", < 0.97 => "Establishing", _ => "Deregistered" };
            var rating = random.NextDouble() switch { < 0.7 => "A", < 0.9 => "B", < 0.97 => "C", _ => "D" };
            list.Add(new EnterpriseFacts(
                $"9131{i:D10}SY{seed % 100:D2}", Locations[(int)(Math.Pow(random.NextDouble(), 1.5) * Locations.Length)], Industries[random.Next(Industries.Length)],
                new DateOnly(2000 + random.Next(26), 1 + random.Next(12), 1 + random.Next(28)), random.Next(1, 3000), revenue,
                Math.Round(revenue * (decimal)(random.NextDouble() * 0.15), 0), Sizes[random.Next(Sizes.Length)], random.NextDouble() < 0.04,
                stage, rating, qualifications));
        }
        return list;
    }

    /// <summary>Policies built from the clause shapes real policies use; most name a place, an industry or a qualification.</summary>
    public static List<MatchablePolicy> Policies(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<MatchablePolicy>(count);
        for (var i = 0; i < count; i++)
        {
            // Shapes seen in the district's policies: most name an industry (a sector or a narrower code), many a
            // qualification, some particular towns, a few listed companies; about 3% name no discrete attribute.
            var clauses = new List<string>();
            if (random.NextDouble() < 0.6)
            {
                clauses.Add(Text("industryCode", "startsWith", Pick(random, Industries, 1 + random.Next(3)).Select(c => c[..(random.NextDouble() switch { < 0.05 => 1, < 0.15 => 2, < 0.6 => 3, _ => 4 })])));
            }
            if (random.NextDouble() < 0.35)
            {
                var kinds = Pick(random, Kinds, 1 + random.Next(2)).ToList();
                clauses.Add(kinds.Count == 1
                    ? $$"""{ "field": "qualification", "op": "has", "value": "{{kinds[0]}}" }"""
                    : $$"""{ "any": [ {{string.Join(", ", kinds.Select(k => $$"""{ "field": "qualification", "op": "has", "value": "{{k}}" }"""))}} ] }""");
            }
            if (random.NextDouble() < 0.25)
            {
                clauses.Add(Text("location", "in", Pick(random, Locations, 1 + random.Next(5))));
            }
            if (random.NextDouble() < 0.15)
            {
                clauses.Add(Text("sizeClass", "in", Pick(random, Sizes, 1 + random.Next(2))));
            }
            if (random.NextDouble() < 0.03)
            {
                clauses.Add("""{ "field": "isListed", "op": "eq", "value": true }""");
            }
            if (clauses.Count == 0 && random.NextDouble() < 0.85)
            {
                clauses.Add(Text("industryCode", "startsWith", Pick(random, Industries, 1 + random.Next(3)).Select(c => c[..(random.NextDouble() switch { < 0.05 => 1, < 0.15 => 2, < 0.6 => 3, _ => 4 })])));
            }
            // Numeric and negative clauses the index cannot use; ~5% of policies have nothing else (they scan everyone).
            if (random.NextDouble() < 0.6)
            {
                clauses.Add($$"""{ "field": "employees", "op": "gte", "value": {{random.Next(1, 200)}} }""");
            }
            if (random.NextDouble() < 0.5)
            {
                clauses.Add($$"""{ "field": "rdRatio", "op": "gte", "value": {{(random.Next(1, 8) / 100m).ToString(CultureInfo.InvariantCulture)}} }""");
            }
            if (random.NextDouble() < 0.4)
            {
                clauses.Add($$"""{ "field": "yearsSinceFounding", "op": "between", "value": [{{random.Next(0, 3)}}, {{random.Next(5, 20)}}] }""");
            }
            if (random.NextDouble() < 0.5)
            {
                clauses.Add("""{ "not": { "field": "creditRating", "op": "in", "value": ["C", "D"] } }""");
            }
            clauses.Add("""{ "field": "stage", "op": "in", "value": ["Operating", "Changing"] }""");
            list.Add(Compile(i, $$"""{ "all": [ {{string.Join(", ", clauses)}} ] }"""));
        }
        return list;
    }

    public static MatchablePolicy Compile(int number, string json)
    {
        var (criteria, errors) = CriteriaParser.Parse(JsonDocument.Parse(json).RootElement);
        if (criteria is null)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) + " in " + json);
        }
        var compiled = CompiledCriteria.Compile(criteria);
        return new MatchablePolicy(
            new Guid(number, 0, 0, [0, 0, 0, 0, 0, 0, 0, 1]), 1, $"合成政策 {number}", "Songjiang", "松江区科学技术委员会", $"合成〔2026〕{number}号",
            "subsidy", 100000m, false, new DateOnly(2026, 1, 1), null, compiled, CandidateKeys.NecessaryOf(criteria));
    }

    /// <summary>Search documents: titles and texts composed from the vocabulary of the district's policies.</summary>
    public static List<PolicyDocument> Documents(int count, int seed)
    {
        string[] places = ["松江区", "上海市", "长三角G60科创走廊", "九城市", "国家"];
        string[] subjects =
        [
            "高新技术企业", "科技型中小企业", "集成电路设计企业", "生物医药企业", "人工智能企业", "专精特新中小企业", "影视制作企业", "新能源汽车零部件企业",
            "新材料企业", "工业互联网平台", "商用密码企业", "初创科技企业", "总部型企业", "上市企业",
        ];
        string[] instruments =
        [
            "研发费用补贴", "认定奖励", "知识产权质押融资贴息", "科技创新券", "人才安居资助", "流片费用补贴", "算力补贴", "首批次保险补偿",
            "技术改造补贴", "上市扶持", "稳岗补贴", "成果转化奖励", "临床试验支持", "场租补贴",
        ];
        string[] sentences =
        [
            "为加快建设长三角G60科创走廊，推动产业高质量发展，制定本办法。", "对符合条件的企业按研发费用的一定比例给予补贴。",
            "申报企业须在本区注册、正常经营、信用良好。", "科技创新券可在九城市范围内通用通兑。", "支持企业以专利、商标等知识产权质押融资。",
            "对引进的高层次人才给予安家资助和租房补贴。", "对开展多项目晶圆流片的设计企业给予补贴。", "鼓励企业建设研发中心和新型研发机构。",
            "对首次认定的企业给予一次性奖励。", "本政策实行免申即享，企业在线确认即可。", "支持企业开展数字化转型和智能制造。",
        ];
        string[] industries = ["人工智能", "集成电路", "生物医药", "智慧安防", "新能源", "新材料", "新一代信息技术", "新能源汽车", "工业互联网", "影视", "通用"];
        string[] levels = ["National", "Shanghai", "Songjiang", "G60"];
        string[] bodies = ["松江区科学技术委员会", "松江区经济委员会", "松江区人力资源和社会保障局", "上海市科学技术委员会", "长三角G60科创走廊联席会议办公室", "财政部 国家税务总局"];
        var random = new Random(seed);
        var list = new List<PolicyDocument>(count);
        for (var i = 0; i < count; i++)
        {
            var subject = subjects[random.Next(subjects.Length)];
            var instrument = instruments[random.Next(instruments.Length)];
            var text = string.Concat(Enumerable.Range(0, 6 + random.Next(10)).Select(_ => sentences[random.Next(sentences.Length)]));
            var opens = new DateOnly(2025 + random.Next(2), 1 + random.Next(12), 1);
            list.Add(new PolicyDocument(
                new Guid(i, 1, 0, [0, 0, 0, 0, 0, 0, 0, 2]), 1, $"{places[random.Next(places.Length)]}{subject}{instrument}办法（第{i}号）",
                bodies[random.Next(bodies.Length)], levels[random.Next(levels.Length)], $"合成文〔2026〕{i}号", text, "subsidy", random.Next(1, 500) * 10000m,
                random.NextDouble() < 0.1, [.. Pick(random, industries, 1 + random.Next(2))], [subject], [instrument], new DateOnly(2025, 1, 1),
                new DateOnly(2028, 12, 31), opens, opens.AddMonths(2 + random.Next(6)), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i)));
        }
        return list;
    }

    private static IEnumerable<string> Pick(Random random, string[] from, int count) =>
        from.OrderBy(_ => random.Next()).Take(count);

    private static string Text(string field, string op, IEnumerable<string> values) =>
        $$"""{ "field": "{{field}}", "op": "{{op}}", "value": [{{string.Join(", ", values.Distinct().Select(v => $"\"{v}\""))}}] }""";
}

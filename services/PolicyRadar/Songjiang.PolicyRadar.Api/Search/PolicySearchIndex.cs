using Songjiang.ServiceDefaults.Time;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Index.Memory;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Songjiang.ServiceDefaults.Paging;
using System.Globalization;

namespace Songjiang.PolicyRadar.Api.Search;

/// <summary>
/// Chinese full-text search over published policies: Lucene.Net with the SmartCN analyzer (a hidden-Markov word
/// segmenter), held in memory and rebuilt from the database at start. Title, tags and text are searched with
/// descending weight, an exact phrase counts extra, filters narrow without changing the ranking, and the facets count
/// the whole result. One document per policy: its current published version.
/// </summary>
public sealed class PolicySearchIndex : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly Analyzer _analyzer = new SmartChineseAnalyzer(Version);
    private readonly RAMDirectory _directory = new();
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly TimeProvider _clock;

    /// <summary>Facet names in results.</summary>
    public static readonly IReadOnlyList<string> FacetNames = ["level", "issuingBody", "industry", "openNow"];

    /// <summary>An empty index.</summary>
    public PolicySearchIndex(TimeProvider clock)
    {
        _clock = clock;
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { OpenMode = OpenMode.CREATE });
        _writer.Commit();
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
    }

    /// <summary>Documents held.</summary>
    public int Count => _writer.NumDocs;

    /// <summary>Adds or replaces policies and makes them searchable before returning.</summary>
    public void Upsert(IEnumerable<PolicyDocument> policies)
    {
        foreach (var policy in policies)
        {
            _writer.UpdateDocument(new Term("id", policy.PolicyId.ToString("N")), ToDocument(policy));
        }
        _searchers.MaybeRefreshBlocking();
    }

    /// <summary>Adds or replaces one policy.</summary>
    public void Upsert(PolicyDocument policy) => Upsert([policy]);

    /// <summary>Removes a policy.</summary>
    public void Remove(Guid policyId)
    {
        _writer.DeleteDocuments(new Term("id", policyId.ToString("N")));
        _searchers.MaybeRefreshBlocking();
    }

    /// <summary>Searches.</summary>
    public PolicySearchResult Search(PolicyQuery query)
    {
        var today = DateKey(ChinaToday());
        var words = Tokens(query.Q);
        var text = TextQuery(query.Q, words);
        var filtered = WithFilters(text ?? new MatchAllDocsQuery(), query, today);
        var (page, pageSize) = PageRequest.Clamped(query.Page, query.PageSize);
        var wanted = page * pageSize;

        var searcher = _searchers.Acquire();
        try
        {
            ICollector top = text is null
                ? TopFieldCollector.Create(new Sort(new SortField("published_v", SortFieldType.INT64, true)), wanted, true, false, false, true)
                : TopScoreDocCollector.Create(wanted, true);
            var facets = new FacetCollector(today);
            searcher.Search(filtered, MultiCollector.Wrap(top, facets));
            var docs = top is TopDocsCollector<FieldValueHitQueue.Entry> byDate ? byDate.GetTopDocs() : ((TopScoreDocCollector)top).GetTopDocs();
            var highlighter = text is null || !query.Highlight ? null : new Marker(words);
            var items = docs.ScoreDocs.Skip((page - 1) * pageSize)
                .Select(hit => ToHit(searcher, hit.Doc, hit.Score, highlighter, today)).ToList();
            return new PolicySearchResult(items, page, pageSize, docs.TotalHits, facets.Result());
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Whether a single policy fits words (each word as a phrase, in title, text or tags) — the percolator that checks a
    /// new policy against enterprises' keyword subscriptions without touching the main index.
    /// </summary>
    public IReadOnlyList<string> MatchingKeywords(PolicyDocument policy, IEnumerable<string> keywords)
    {
        var memory = new MemoryIndex();
        memory.AddField("title", policy.Title, _analyzer);
        memory.AddField("text", policy.FullText, _analyzer);
        memory.AddField("tags", string.Join(" ", policy.AllTags), _analyzer);
        var matched = new List<string>();
        foreach (var keyword in keywords)
        {
            var words = Tokens(keyword);
            if (words.Count == 0)
            {
                continue;
            }
            var any = new BooleanQuery();
            foreach (var field in new[] { "title", "text", "tags" })
            {
                any.Add(Phrase(field, words, slop: 0), Occur.SHOULD);
            }
            if (memory.Search(any) > 0)
            {
                matched.Add(keyword);
            }
        }
        return matched;
    }

    /// <summary>The words the analyzer makes of a text (for tests and diagnostics).</summary>
    public IReadOnlyList<string> Tokens(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return tokens;
        }
        using var stream = _analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add(term.ToString());
        }
        stream.End();
        return tokens;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    // Each word must appear in title, tags or text (three quarters of them for long queries); title counts most. The
    // whole query as a phrase adds to the score, and a document number typed exactly finds its policy.
    private static Query? TextQuery(string? q, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return null;
        }
        var all = new BooleanQuery();
        foreach (var word in words.Distinct(StringComparer.Ordinal))
        {
            all.Add(new BooleanQuery
            {
                { Boosted(new TermQuery(new Term("title", word)), 3f), Occur.SHOULD },
                { Boosted(new TermQuery(new Term("tags", word)), 2f), Occur.SHOULD },
                { new TermQuery(new Term("text", word)), Occur.SHOULD },
            }, Occur.SHOULD);
        }
        all.MinimumNumberShouldMatch = words.Count <= 2 ? all.Clauses.Count : (int)Math.Ceiling(all.Clauses.Count * 0.75);
        var main = new BooleanQuery { { all, Occur.MUST } };
        if (words.Count > 1)
        {
            main.Add(Boosted(Phrase("title", words, slop: 1), 4f), Occur.SHOULD);
            main.Add(Boosted(Phrase("text", words, slop: 1), 2f), Occur.SHOULD);
        }
        return new BooleanQuery
        {
            { main, Occur.SHOULD },
            { Boosted(new TermQuery(new Term("docno", q!.Trim())), 10f), Occur.SHOULD },
        };
    }

    private static Query WithFilters(Query query, PolicyQuery filters, int today)
    {
        var terms = new List<Query>();
        void Exact(string field, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                terms.Add(new TermQuery(new Term(field, value.Trim())));
            }
        }
        Exact("level", filters.Level);
        Exact("issuingBody", filters.IssuingBody);
        Exact("industry", filters.Industry);
        Exact("kind", filters.EnterpriseKind);
        Exact("topic", filters.Topic);
        Exact("benefitType", filters.BenefitType);
        if (filters.ExemptFromApplication is { } exempt)
        {
            terms.Add(new TermQuery(new Term("exempt", exempt ? "true" : "false")));
        }
        if (filters.OpenNow is { } open)
        {
            var isOpen = new BooleanQuery
            {
                { NumericRangeQuery.NewInt32Range("opens", null, today, true, true), Occur.MUST },
                { NumericRangeQuery.NewInt32Range("closes", today, null, true, true), Occur.MUST },
            };
            terms.Add(open ? isOpen : new BooleanQuery { { new MatchAllDocsQuery(), Occur.MUST }, { isOpen, Occur.MUST_NOT } });
        }
        if (terms.Count == 0)
        {
            return query;
        }
        var filtered = new BooleanQuery { { query, Occur.MUST } };
        foreach (var term in terms)
        {
            // Constant score 0: filters narrow the result without moving anything up or down.
            filtered.Add(new ConstantScoreQuery(term) { Boost = 0f }, Occur.MUST);
        }
        return filtered;
    }

    private static PhraseQuery Phrase(string field, IReadOnlyList<string> words, int slop)
    {
        var phrase = new PhraseQuery { Slop = slop };
        foreach (var word in words)
        {
            phrase.Add(new Term(field, word));
        }
        return phrase;
    }

    private static T Boosted<T>(T query, float boost) where T : Query
    {
        query.Boost = boost;
        return query;
    }

    // Term vectors with offsets let the highlighter mark hits without segmenting the stored text again.
    private static readonly FieldType HighlightedText = HighlightedTextType();

    private static FieldType HighlightedTextType()
    {
        var type = new FieldType(TextField.TYPE_STORED) { StoreTermVectors = true, StoreTermVectorPositions = true, StoreTermVectorOffsets = true };
        type.Freeze();
        return type;
    }

    private static Document ToDocument(PolicyDocument p)
    {
        var document = new Document
        {
            new StringField("id", p.PolicyId.ToString("N"), Field.Store.YES),
            new StoredField("version", p.Version),
            new Field("title", p.Title, HighlightedText),
            new Field("text", p.FullText, HighlightedText),
            new TextField("tags", string.Join(" ", p.AllTags), Field.Store.NO),
            new StringField("docno", p.DocumentNumber, Field.Store.YES),
            new StringField("level", p.Level, Field.Store.YES),
            new SortedSetDocValuesField("level_f", new BytesRef(p.Level)),
            new StringField("issuingBody", p.IssuingBody, Field.Store.YES),
            new SortedSetDocValuesField("issuingBody_f", new BytesRef(p.IssuingBody)),
            new StringField("benefitType", p.BenefitType, Field.Store.YES),
            new StringField("exempt", p.ExemptFromApplication ? "true" : "false", Field.Store.YES),
            new Int32Field("opens", DateKey(p.OpensOn), Field.Store.YES),
            new NumericDocValuesField("opens_v", DateKey(p.OpensOn)),
            new Int32Field("closes", DateKey(p.ClosesOn), Field.Store.YES),
            new NumericDocValuesField("closes_v", DateKey(p.ClosesOn)),
            new NumericDocValuesField("published_v", p.PublishedAt.UtcTicks),
            new StoredField("effectiveFrom", p.EffectiveFrom.ToString("O", CultureInfo.InvariantCulture)),
        };
        if (p.ExpiresOn is { } expires)
        {
            document.Add(new StoredField("expiresOn", expires.ToString("O", CultureInfo.InvariantCulture)));
        }
        if (p.BenefitAmount is { } amount)
        {
            document.Add(new StoredField("benefitAmount", amount.ToString(CultureInfo.InvariantCulture)));
        }
        foreach (var industry in p.Industries.Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField("industry", industry, Field.Store.YES));
            document.Add(new SortedSetDocValuesField("industry_f", new BytesRef(industry)));
        }
        foreach (var kind in p.EnterpriseKinds.Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField("kind", kind, Field.Store.YES));
        }
        foreach (var topic in p.Topics.Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField("topic", topic, Field.Store.YES));
        }
        return document;
    }

    private static PolicyHit ToHit(IndexSearcher searcher, int docId, float score, Marker? highlighter, int today)
    {
        var d = searcher.Doc(docId);
        var title = d.Get("title");
        var text = d.Get("text");
        var (marked, snippet) = highlighter?.Mark(searcher.IndexReader, docId, title, text) ?? (null, null);
        var titleHighlighted = marked ?? MarkupEncoder.Encode(title);
        if (string.IsNullOrEmpty(snippet))
        {
            snippet = MarkupEncoder.Encode(text.Length > 120 ? text[..120] + "…" : text);
        }
        var opens = d.GetField("opens").GetInt32Value() ?? 0;
        var closes = d.GetField("closes").GetInt32Value() ?? 0;
        return new PolicyHit(
            Guid.ParseExact(d.Get("id"), "N"), d.GetField("version").GetInt32Value() ?? 0, title, titleHighlighted, snippet,
            d.Get("level"), d.Get("issuingBody"), d.Get("docno"), d.Get("benefitType"),
            d.Get("benefitAmount") is { } amount ? decimal.Parse(amount, CultureInfo.InvariantCulture) : null,
            d.Get("exempt") == "true", opens <= today && today <= closes,
            d.GetValues("industry"), d.GetValues("kind"), d.GetValues("topic"),
            DateOnly.ParseExact(d.Get("effectiveFrom"), "O", CultureInfo.InvariantCulture),
            d.Get("expiresOn") is { } expires ? DateOnly.ParseExact(expires, "O", CultureInfo.InvariantCulture) : null,
            float.IsNaN(score) ? 0 : score);
    }

    private DateOnly ChinaToday() => ChinaTime.Today(_clock);


    private static int DateKey(DateOnly date) => date == DateOnly.MaxValue ? 99991231 : (date.Year * 10000) + (date.Month * 100) + date.Day;

    /// <summary>
    /// Marks the query's words from the term vectors stored with title and text: one read of a hit's vectors, each
    /// word looked up there with its offsets, and nothing segmented again. The whole title is marked; the snippet is the
    /// two passages of at most 100 characters holding most marked words, in text order, each starting at a sentence or
    /// clause break when one lies just before its first word and ending at one when one lies just before its end.
    /// </summary>
    private sealed class Marker(IReadOnlyList<string> words)
    {
        private const int FragmentLength = 100;
        private const int Fragments = 2;
        private const int LookBack = 20;
        private static readonly char[] Breaks = ['。', '；', '！', '？', '，', '、', '\n', '.', ';', '!', '?'];
        private readonly BytesRef[] _words = [.. words.Distinct(StringComparer.Ordinal).Select(w => new BytesRef(w))];
        private TermsEnum? _terms;
        private DocsAndPositionsEnum? _positions;

        public (string? Title, string? Snippet) Mark(IndexReader reader, int docId, string title, string text)
        {
            var vectors = reader.GetTermVectors(docId);
            var inTitle = Spans(vectors?.GetTerms("title"));
            var inText = Spans(vectors?.GetTerms("text"));
            return (inTitle.Count == 0 ? null : Markup(title, 0, title.Length, inTitle), Snippet(text, inText));
        }

        // Where the query's words occur in a field, ordered, with touching or overlapping occurrences joined.
        private List<(int Start, int End)> Spans(Terms? terms)
        {
            var spans = new List<(int Start, int End)>();
            if (terms is null)
            {
                return spans;
            }
            _terms = terms.GetEnumerator(_terms);
            foreach (var word in _words)
            {
                if (!_terms.SeekExact(word) || (_positions = _terms.DocsAndPositions(null, _positions, DocsAndPositionsFlags.OFFSETS)) is null)
                {
                    continue;
                }
                _positions.NextDoc();
                for (var i = _positions.Freq; i > 0; i--)
                {
                    _positions.NextPosition();
                    if (_positions.StartOffset >= 0 && _positions.EndOffset > _positions.StartOffset)
                    {
                        spans.Add((_positions.StartOffset, _positions.EndOffset));
                    }
                }
            }
            spans.Sort();
            var joined = 0;
            for (var i = 1; i < spans.Count; i++)
            {
                if (spans[i].Start <= spans[joined].End)
                {
                    spans[joined] = (spans[joined].Start, Math.Max(spans[joined].End, spans[i].End));
                }
                else
                {
                    spans[++joined] = spans[i];
                }
            }
            if (spans.Count > 0)
            {
                spans.RemoveRange(joined + 1, spans.Count - joined - 1);
            }
            return spans;
        }

        private static string? Snippet(string text, List<(int Start, int End)> spans)
        {
            // Passages in text order, each from just before its first word, holding the words that fit whole.
            var passages = new List<(int Start, int End, int First, int Count)>();
            for (var i = 0; i < spans.Count;)
            {
                var start = PassageStart(text, spans[i].Start);
                var end = Math.Min(text.Length, start + FragmentLength);
                var first = i;
                while (i < spans.Count && spans[i].End <= end)
                {
                    i++;
                }
                if (i == first)
                {
                    // A word longer than a passage: shown whole.
                    end = spans[i].End;
                    i++;
                }
                else if (end < text.Length)
                {
                    // End at a break after the last word rather than mid-word, when one lies near the end.
                    var last = spans[i - 1].End;
                    var brk = text.LastIndexOfAny(Breaks, end - 1, end - last);
                    end = brk >= 0 && brk >= end - LookBack ? brk + 1 : end;
                }
                passages.Add((start, end, first, i - first));
            }
            if (passages.Count == 0)
            {
                return null;
            }
            var best = passages.Select((p, index) => (p, index)).OrderByDescending(x => x.p.Count).ThenBy(x => x.index)
                .Take(Fragments).OrderBy(x => x.index).Select(x => x.p);
            return string.Join("…", best.Select(p => Markup(text, p.Start, p.End, spans.GetRange(p.First, p.Count))));
        }

        private static int PassageStart(string text, int firstWord)
        {
            var from = Math.Max(0, firstWord - LookBack);
            var brk = text.LastIndexOfAny(Breaks, Math.Max(0, firstWord - 1), firstWord - from);
            return brk >= 0 ? brk + 1 : Math.Max(0, firstWord - 6);
        }

        private static string Markup(string text, int start, int end, List<(int Start, int End)> spans)
        {
            var markup = new System.Text.StringBuilder(end - start + (spans.Count * 9) + 16);
            var at = start;
            foreach (var (spanStart, spanEnd) in spans)
            {
                if (spanStart < at || spanEnd > end)
                {
                    continue;
                }
                markup.Append(MarkupEncoder.Encode(text[at..spanStart])).Append("<em>").Append(MarkupEncoder.Encode(text[spanStart..spanEnd])).Append("</em>");
                at = spanEnd;
            }
            return markup.Append(MarkupEncoder.Encode(text[at..end])).ToString();
        }
    }

    /// <summary>Escapes only what HTML needs escaped, leaving Chinese text readable (unlike numeric entities).</summary>
    private static class MarkupEncoder
    {
        public static string Encode(string text) => text
            .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal);
    }

    /// <summary>Counts facet values over every hit, per segment by ordinal, then by value.</summary>
    private sealed class FacetCollector(int today) : ICollector
    {
        private static readonly string[] Dimensions = ["level", "issuingBody", "industry"];
        private readonly Dictionary<string, Dictionary<string, int>> _counts = Dimensions.ToDictionary(d => d, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        private readonly SortedSetDocValues?[] _values = new SortedSetDocValues?[Dimensions.Length];
        private readonly int[]?[] _ordCounts = new int[]?[Dimensions.Length];
        private NumericDocValues? _opens;
        private NumericDocValues? _closes;
        private int _open;
        private int _closed;

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context)
        {
            Flush();
            for (var i = 0; i < Dimensions.Length; i++)
            {
                var values = context.AtomicReader.GetSortedSetDocValues(Dimensions[i] + "_f");
                _values[i] = values;
                _ordCounts[i] = values is null ? null : new int[values.ValueCount];
            }
            _opens = context.AtomicReader.GetNumericDocValues("opens_v");
            _closes = context.AtomicReader.GetNumericDocValues("closes_v");
        }

        public void Collect(int doc)
        {
            for (var i = 0; i < Dimensions.Length; i++)
            {
                if (_values[i] is { } values)
                {
                    values.SetDocument(doc);
                    long ord;
                    while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
                    {
                        _ordCounts[i]![ord]++;
                    }
                }
            }
            if (_opens is not null && _closes is not null && _opens.Get(doc) <= today && today <= _closes.Get(doc))
            {
                _open++;
            }
            else
            {
                _closed++;
            }
        }

        public IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Result()
        {
            Flush();
            var result = _counts.ToDictionary(
                c => c.Key,
                c => (IReadOnlyList<FacetValue>)[.. c.Value.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new FacetValue(v.Key, v.Value))]);
            result["openNow"] = [new FacetValue("true", _open), new FacetValue("false", _closed)];
            return result;
        }

        private void Flush()
        {
            var term = new BytesRef();
            for (var i = 0; i < Dimensions.Length; i++)
            {
                if (_values[i] is not { } values || _ordCounts[i] is not { } counts)
                {
                    continue;
                }
                for (var ord = 0; ord < counts.Length; ord++)
                {
                    if (counts[ord] > 0)
                    {
                        values.LookupOrd(ord, term);
                        var key = term.Utf8ToString();
                        _counts[Dimensions[i]][key] = _counts[Dimensions[i]].GetValueOrDefault(key) + counts[ord];
                    }
                }
                _ordCounts[i] = null;
            }
        }
    }
}

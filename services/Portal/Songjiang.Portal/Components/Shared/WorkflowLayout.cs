namespace Songjiang.Portal.Components.Shared;

/// <summary>A node placed on the drawing.</summary>
public sealed record PlacedNode(string Id, string Kind, string Label, double X, double Y, bool Current);

/// <summary>An edge as a path between two placed nodes; a back edge (a loop such as 补正 → 受理) bends to the side.</summary>
public sealed record PlacedEdge(string From, string To, string? Label, string Path, double LabelX, double LabelY, bool Back);

/// <summary>
/// Lays a workflow graph out top to bottom in layers: each node's layer is its longest distance from the start along
/// forward edges (edges that close a loop are drawn as back edges), nodes of a layer side by side. Small graphs of a
/// dozen nodes need nothing cleverer, and the drawing is the same on every render.
/// </summary>
public static class WorkflowLayout
{
    /// <summary>Node box width.</summary>
    public const double NodeWidth = 150;

    /// <summary>Node box height.</summary>
    public const double NodeHeight = 44;

    private const double ColumnGap = 40;
    private const double RowGap = 56;
    private const double Margin = 24;

    /// <summary>Places the nodes and edges; returns them with the drawing's size.</summary>
    public static (IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<PlacedEdge> Edges, double Width, double Height) Place(
        IReadOnlyList<(string Id, string Kind, string Label)> nodes, IReadOnlyList<(string From, string To, string? Label)> edges,
        IReadOnlySet<string> current)
    {
        var ids = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var valid = edges.Where(e => ids.Contains(e.From) && ids.Contains(e.To)).ToList();
        var outgoing = valid.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList(), StringComparer.Ordinal);

        // Back edges: those that reach a node on the current depth-first path from the start.
        var start = nodes.FirstOrDefault(n => n.Kind == "start").Id ?? nodes.FirstOrDefault().Id;
        var back = new HashSet<(string, string)>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(string id)
        {
            state[id] = 1;
            foreach (var to in outgoing.GetValueOrDefault(id) ?? [])
            {
                if (state.GetValueOrDefault(to) == 1)
                {
                    back.Add((id, to));
                }
                else if (state.GetValueOrDefault(to) == 0)
                {
                    Visit(to);
                }
            }
            state[id] = 2;
        }
        if (start is not null)
        {
            Visit(start);
        }
        foreach (var node in nodes.Where(n => state.GetValueOrDefault(n.Id) == 0))
        {
            Visit(node.Id);
        }

        // Longest path layering over the forward edges (a DAG once back edges are set aside).
        var layer = nodes.ToDictionary(n => n.Id, _ => 0, StringComparer.Ordinal);
        var forward = valid.Where(e => !back.Contains((e.From, e.To))).ToList();
        for (var pass = 0; pass < nodes.Count; pass++)
        {
            var changed = false;
            foreach (var e in forward)
            {
                if (layer[e.To] < layer[e.From] + 1)
                {
                    layer[e.To] = layer[e.From] + 1;
                    changed = true;
                }
            }
            if (!changed)
            {
                break;
            }
        }

        var rows = nodes.GroupBy(n => layer[n.Id]).OrderBy(g => g.Key).ToList();
        var widest = rows.Count == 0 ? 1 : rows.Max(r => r.Count());
        var width = Margin * 2 + widest * NodeWidth + (widest - 1) * ColumnGap;
        var placed = new Dictionary<string, PlacedNode>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var count = row.Count();
            var rowWidth = count * NodeWidth + (count - 1) * ColumnGap;
            var x = (width - rowWidth) / 2;
            foreach (var node in row)
            {
                placed[node.Id] = new PlacedNode(node.Id, node.Kind, node.Label, x, Margin + row.Key * (NodeHeight + RowGap), current.Contains(node.Id));
                x += NodeWidth + ColumnGap;
            }
        }
        var height = Margin * 2 + rows.Count * NodeHeight + Math.Max(0, rows.Count - 1) * RowGap;

        var placedEdges = new List<PlacedEdge>();
        foreach (var e in valid)
        {
            var from = placed[e.From];
            var to = placed[e.To];
            if (back.Contains((e.From, e.To)) || layer[e.To] <= layer[e.From])
            {
                // A loop back (补正 → 受理): from the source's top, right of centre, up to the target's bottom (or, within
                // one layer, over the top), dashed; right of centre so it runs beside the forward edge, not on it.
                var x1 = from.X + NodeWidth * 0.75;
                var y1 = from.Y - 2;
                var x2 = to.X + NodeWidth * 0.75;
                var up = layer[e.To] < layer[e.From];
                var y2 = up ? to.Y + NodeHeight + 2 : to.Y - 2;
                var path = up
                    ? F($"M {x1} {y1} C {x1} {y1 - 24}, {x2} {y2 + 24}, {x2} {y2}")
                    : F($"M {x1} {y1} C {x1} {y1 - 36}, {x2} {y2 - 36}, {x2} {y2}");
                placedEdges.Add(new PlacedEdge(e.From, e.To, e.Label, path, (x1 + x2) / 2 + 6, up ? (y1 + y2) / 2 : y1 - 30, true));
            }
            else
            {
                var x1 = from.X + NodeWidth / 2;
                var y1 = from.Y + NodeHeight;
                var x2 = to.X + NodeWidth / 2;
                var y2 = to.Y - 2;
                var mid = (y1 + y2) / 2;
                placedEdges.Add(new PlacedEdge(e.From, e.To, e.Label,
                    F($"M {x1} {y1} C {x1} {mid}, {x2} {mid}, {x2} {y2}"), (x1 + x2) / 2 + 4, mid, false));
            }
        }
        return ([.. placed.Values], placedEdges, width, height);
    }

    private static string F(FormattableString path) => FormattableString.Invariant(path);
}

using Microsoft.EntityFrameworkCore;
using Songjiang.Cases.Api.Infrastructure;

namespace Songjiang.Cases.Api.Storage;

/// <summary>An uploaded file's content in the cases database (table <c>material_contents</c>).</summary>
public sealed class MaterialContent
{
    /// <summary>The storage key (a hex GUID), as the upload record names it.</summary>
    public required string Key { get; init; }

    /// <summary>The bytes.</summary>
    public required byte[] Content { get; init; }

    /// <summary>When stored.</summary>
    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// Keeps materials in the service's own database, so that every replica reads what any replica stored (distributed
/// mode). Each call has its own context and commits on its own, like a write to an object store would.
/// </summary>
public sealed class DatabaseMaterialStore(IServiceScopeFactory scopes, TimeProvider clock) : IMaterialStore
{
    /// <inheritdoc />
    /// <remarks>The type is on the upload record; the key is a plain hex GUID here, no file extension needed.</remarks>
    public async Task<string> SaveAsync(Stream content, string extension, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var key = Guid.CreateVersion7().ToString("N");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        db.MaterialContents.Add(new MaterialContent { Key = key, Content = buffer.ToArray(), StoredAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <inheritdoc />
    public Stream OpenRead(string key)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var content = db.MaterialContents.AsNoTracking().Where(m => m.Key == key).Select(m => m.Content).FirstOrDefault()
            ?? throw new FileNotFoundException($"No stored material {key}.");
        return new MemoryStream(content, writable: false);
    }

    /// <inheritdoc />
    public void Delete(string key)
    {
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CasesDbContext>().MaterialContents.Where(m => m.Key == key).ExecuteDelete();
    }
}

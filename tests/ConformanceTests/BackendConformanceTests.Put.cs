using VfsGateway.ConformanceTests.Support;
using VfsGateway.Vfs;

namespace VfsGateway.ConformanceTests;

/// <summary>Writes: lengths, failures, overwrites, names, depth, size, metadata.</summary>
public abstract partial class BackendConformanceTests
{
    [ConformanceFact]
    public async Task Put_ZeroLength_StoresEmptyFile()
    {
        var entry = await PutBytesAsync("empty", []);

        Assert.Equal(0, entry.Size);
        Assert.Equal(0, (await Backend.StatAsync(P("empty"), Ct)).Size);
        Assert.Empty(await ReadAsync("empty"));
        Assert.Contains(await ListAsync(string.Empty), e => e.Name == "empty" && !e.IsDirectory && e.Size == 0);
    }

    [ConformanceFact]
    public async Task Put_ZeroLengthUnknownLength_StoresEmptyFile()
    {
        var entry = await Backend.PutAsync(P("empty"), new NonSeekableStream(new MemoryStream()), PutOptions.Default, Ct);

        Assert.Equal(0, entry.Size);
        Assert.Empty(await ReadAsync("empty"));
    }

    [ConformanceFact]
    public async Task Put_UnknownLength_StoresWholeStream()
    {
        var data = Bytes(300_000);

        var entry = await Backend.PutAsync(P("unknown"), new NonSeekableStream(new MemoryStream(data)), PutOptions.Default, Ct);

        Assert.Equal(data.Length, entry.Size);
        Assert.Equal(data, await ReadAsync("unknown"));
    }

    [ConformanceFact]
    public async Task Put_LengthShorterThanStream_StoresExactlyLength()
    {
        var data = Bytes(100);

        var entry = await Backend.PutAsync(P("cut"), new MemoryStream(data), new PutOptions(40), Ct);

        Assert.Equal(40, entry.Size);
        Assert.Equal(data[..40], await ReadAsync("cut"));
    }

    [ConformanceFact]
    public async Task Put_StreamShorterThanLength_ThrowsInvalidAndLeavesNothing()
    {
        await PutBytesAsync("other", Bytes(1));

        await ThrowsKindAsync(
            VfsErrorKind.Invalid,
            async () => await SafeWriter().PutAsync(P("short"), new MemoryStream(Bytes(10)), new PutOptions(20), Ct));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("short"), Ct));
        Assert.Equal(["other"], (await ListAsync(string.Empty)).Select(e => e.Name));
    }

    [ConformanceFact]
    public async Task Put_DirectStreamShorterThanLength_ThrowsInvalid()
    {
        await ThrowsKindAsync(
            VfsErrorKind.Invalid,
            async () => await Backend.PutAsync(P("short"), new MemoryStream(Bytes(10)), new PutOptions(20), Ct));
    }

    [ConformanceFact]
    public async Task Put_StreamThrows_PropagatesAndKeepsPreviousObject()
    {
        var previous = Bytes(5000, seed: 3);
        await PutBytesAsync("obj", previous);

        await Assert.ThrowsAsync<InjectedFailureException>(
            async () => await SafeWriter().PutAsync(P("obj"), new PatternStream(400_000, failAfter: 200_000), new PutOptions(400_000), Ct));

        Assert.Equal(previous, await ReadAsync("obj"));
        Assert.Equal(previous.Length, (await Backend.StatAsync(P("obj"), Ct)).Size);
        Assert.Equal(["obj"], (await ListAsync(string.Empty)).Select(e => e.Name));
    }

    [ConformanceFact]
    public async Task Put_StreamThrowsOnNewPath_LeavesNothing()
    {
        await PutBytesAsync("dir/keep", Bytes(1));

        await Assert.ThrowsAsync<InjectedFailureException>(
            async () => await SafeWriter().PutAsync(P("dir/new"), new PatternStream(400_000, failAfter: 100), PutOptions.Default, Ct));

        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("dir/new"), Ct));
        Assert.Equal(["keep"], (await ListAsync("dir")).Select(e => e.Name));
    }

    /// <summary>
    /// The frontends' verifying streams (restic's SHA-256, S3's Content-MD5) throw on the read that
    /// would deliver the last byte: a backend that streams a known-length body straight to its
    /// storage must not let that object appear, nor replace the one there.
    /// </summary>
    [ConformanceFact]
    public async Task Put_StreamThrowsOnLastByte_KeepsPreviousObjectAndLeavesNoNewOne()
    {
        const int size = 3 * 1024 * 1024;
        var previous = Bytes(5000, seed: 4);
        await PutBytesAsync("obj", previous);

        await Assert.ThrowsAsync<InjectedFailureException>(
            async () => await SafeWriter().PutAsync(P("obj"), new PatternStream(size, failAfter: size - 1), new PutOptions(size), Ct));
        await Assert.ThrowsAsync<InjectedFailureException>(
            async () => await SafeWriter().PutAsync(P("new"), new PatternStream(size, failAfter: size - 1), new PutOptions(size), Ct));

        Assert.Equal(previous, await ReadAsync("obj"));
        await ThrowsKindAsync(VfsErrorKind.NotFound, async () => await Backend.StatAsync(P("new"), Ct));
        Assert.Equal(["obj"], (await ListAsync(string.Empty)).Select(e => e.Name));
    }

    [ConformanceFact]
    public async Task Put_Overwrite_ReplacesContentAndSize()
    {
        await PutBytesAsync("obj", Bytes(100_000, seed: 1));
        var replacement = Bytes(10, seed: 2);

        var entry = await PutBytesAsync("obj", replacement);

        Assert.Equal(10, entry.Size);
        Assert.Equal(10, (await Backend.StatAsync(P("obj"), Ct)).Size);
        Assert.Equal(replacement, await ReadAsync("obj"));
        Assert.Single(await ListAsync(string.Empty));
    }

    [Theory]
    [InlineData("with space")]
    [InlineData(" leading and trailing ")]
    [InlineData("ünïcödé-名前-Ελληνικά")]
    [InlineData("emoji-😀-🎉")]
    [InlineData("percent%20plus+amp&eq=semi;")]
    [InlineData("quotes'\"and#hash?question")]
    [InlineData(".dotfile")]
    [InlineData("brackets[]{}()<>|*~!@$^`")]
    public async Task Put_OddName_RoundTrips(string name)
    {
        if (name.EndsWith(' ') && !Fixture.Supports(UnsupportedFeatures.TrailingSpaceInNames))
        {
            // A declared server limitation (a theory case cannot be skipped by the fixture).
            return;
        }

        var data = Bytes(17);

        await PutBytesAsync("odd/" + name, data);

        Assert.Equal(data, await ReadAsync("odd/" + name));
        Assert.Equal(17, (await Backend.StatAsync(P("odd").Join(name), Ct)).Size);
        var listed = Assert.Single(await ListAsync("odd"));
        Assert.Equal(name, listed.Name);
        Assert.Equal(P("odd").Join(name), listed.Path);
    }

    [ConformanceFact]
    public async Task Put_OddDirectoryName_RoundTrips()
    {
        if (!Fixture.Supports(UnsupportedFeatures.NestedPrefixListing))
        {
            throw new SkipException("the server's delimiter listing misses directories that hold only directories");
        }

        await PutBytesAsync("dir with space/ü 名/file name", Bytes(3));

        Assert.Equal("dir with space", Assert.Single(await ListAsync(string.Empty)).Name);
        Assert.Equal("ü 名", Assert.Single(await ListAsync("dir with space")).Name);
        Assert.Equal(Bytes(3), await ReadAsync("dir with space/ü 名/file name"));
    }

    [ConformanceFact]
    public async Task Put_DeepPath_CreatesEveryParent()
    {
        if (!Fixture.Supports(UnsupportedFeatures.NestedPrefixListing))
        {
            throw new SkipException("the server's delimiter listing misses directories that hold only directories");
        }

        const string Deep = "a/b/c/d/e/f/g/h/file";
        await PutBytesAsync(Deep, Bytes(9));

        var dir = VfsPath.Root;
        foreach (var segment in P(Deep).Parent.Segments)
        {
            var child = Assert.Single(await Backend.ListAsync(dir, Ct).ToListAsync(Ct));
            Assert.Equal(segment, child.Name);
            Assert.True(child.IsDirectory);
            dir = dir.Join(segment);
        }

        Assert.Equal(Bytes(9), await ReadAsync(Deep));
    }

    [ConformanceFact]
    public async Task Put_OntoDirectory_ThrowsIsDirectory()
    {
        if (BucketBased)
        {
            throw new SkipException("bucket-based backends have no real directories");
        }

        await PutBytesAsync("dir/child", Bytes(1));

        await ThrowsKindAsync(VfsErrorKind.IsDirectory, () => PutBytesAsync("dir", Bytes(1)));
        Assert.Equal(Bytes(1), await ReadAsync("dir/child"));
    }

    [ConformanceFact]
    public async Task Put_BelowAFile_ThrowsNotDirectory()
    {
        if (BucketBased)
        {
            throw new SkipException("bucket-based backends have no real directories");
        }

        await PutBytesAsync("file", Bytes(2));

        await ThrowsKindAsync(VfsErrorKind.NotDirectory, () => PutBytesAsync("file/child", Bytes(1)));
        Assert.Equal(Bytes(2), await ReadAsync("file"));
    }

    [ConformanceFact]
    public async Task Put_LargeKnownLength_RoundTripsByHash() =>
        await PutLargeAsync(knownLength: true);

    [ConformanceFact]
    public async Task Put_LargeUnknownLength_RoundTripsByHash() =>
        await PutLargeAsync(knownLength: false);

    [ConformanceFact]
    public async Task Put_ModTime_IsPreserved()
    {
        if (!Fixture.Supports(UnsupportedFeatures.SetModTime))
        {
            throw new SkipException("the fixture declares modification times unsupported");
        }

        var modTime = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

        var put = await PutBytesAsync("dated", Bytes(5), new PutOptions(5, modTime));

        AssertCloseTo(modTime, put.ModTime);
        AssertCloseTo(modTime, (await Backend.StatAsync(P("dated"), Ct)).ModTime);
        AssertCloseTo(modTime, Assert.Single(await ListAsync(string.Empty)).ModTime);
    }

    [ConformanceFact]
    public async Task Put_WithoutModTime_RecordsAboutNow()
    {
        var before = DateTimeOffset.UtcNow;

        await PutBytesAsync("now", Bytes(5));

        var stored = (await Backend.StatAsync(P("now"), Ct)).ModTime;
        Assert.InRange(stored, before - TimeSpan.FromMinutes(2), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2));
    }

    [ConformanceFact]
    public async Task Put_ContentType_IsStored()
    {
        if (!Fixture.Supports(UnsupportedFeatures.ContentType))
        {
            throw new SkipException("the fixture declares content types unsupported");
        }

        await PutBytesAsync("typed", Bytes(5), new PutOptions(5, ContentType: "application/x-test"));

        Assert.Equal("application/x-test", (await Backend.StatAsync(P("typed"), Ct)).ContentType);
    }

    [ConformanceFact]
    public async Task Put_Concurrent_AllLand()
    {
        var names = Enumerable.Range(0, 16).Select(i => $"par/f{i:D2}").ToList();

        await Task.WhenAll(names.Select((name, i) => PutBytesAsync(name, Bytes(1000 + i, seed: (uint)i + 1))));

        for (var i = 0; i < names.Count; i++)
        {
            Assert.Equal(Bytes(1000 + i, seed: (uint)i + 1), await ReadAsync(names[i]));
        }

        Assert.Equal(16, (await ListAsync("par")).Count);
    }

    [ConformanceFact]
    public async Task Put_Root_ThrowsInvalid()
    {
        await ThrowsKindAsync(VfsErrorKind.Invalid, async () => await Backend.PutAsync(VfsPath.Root, new MemoryStream(Bytes(1)), new PutOptions(1), Ct));
    }

    private async Task PutLargeAsync(bool knownLength)
    {
        var size = Fixture.LargeObjectSize;
        string expected;
        using (var reference = new PatternStream(size, seed: 42))
        {
            expected = await Sha256Async(reference, Ct);
        }

        var entry = await Backend.PutAsync(P("large"), new PatternStream(size, seed: 42), new PutOptions(knownLength ? size : null), Ct);

        Assert.Equal(size, entry.Size);
        Assert.Equal(size, await SettledSizeAsync("large", size));
        var stream = await Backend.OpenReadAsync(P("large"), null, Ct);
        await using (stream)
        {
            Assert.Equal(expected, await Sha256Async(stream, Ct));
        }

        // A range across the 8 MiB boundary, where chunked stores switch parts.
        var boundary = 8L * 1024 * 1024;
        var tail = await ReadAsync("large", new ByteRange(boundary - 100, 200));
        Assert.Equal(200, tail.Length);
        using var pattern = new PatternStream(size, seed: 42);
        var skip = new byte[boundary - 100];
        pattern.ReadExactly(skip);
        var want = new byte[200];
        pattern.ReadExactly(want);
        Assert.Equal(want, tail);
    }

    /// <summary>The stored size, after waiting up to the fixture's <see cref="BackendFixture.PutSettleTime"/> for it to reach <paramref name="expected"/>.</summary>
    private async Task<long> SettledSizeAsync(string path, long expected)
    {
        var deadline = DateTime.UtcNow + Fixture.PutSettleTime;
        while (true)
        {
            var size = (await Backend.StatAsync(P(path), Ct)).Size;
            if (size == expected || DateTime.UtcNow >= deadline)
            {
                return size;
            }

            await Task.Delay(50, Ct);
        }
    }

    private void AssertCloseTo(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.InRange(actual, expected - Fixture.ModTimePrecision, expected + Fixture.ModTimePrecision);
}

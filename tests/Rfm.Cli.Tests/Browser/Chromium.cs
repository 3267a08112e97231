using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Rfm.Cli.Tests.Browser;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c>, installed by <c>.ci/run</c>) driven over the DevTools protocol: one
/// page, every network request it makes recorded.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly ConcurrentQueue<JsonNode> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private int _nextId;
    private string _session = string.Empty;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Where the browser is: <c>CHROMIUM</c>, else Debian's path.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run here, or null. In CI the browser must be there: never a reason to skip.</summary>
    public static string? SkipReason =>
        !File.Exists(Executable) && Environment.GetEnvironmentVariable("CI") is not "true"
            ? $"Chromium is not installed at {Executable}; install Debian's chromium package (as .ci/run does) or set CHROMIUM."
            : null;

    /// <summary>Every URL the page asked for since it was opened.</summary>
    public IEnumerable<string> Requests => _events
        .Where(e => (string?)e["method"] == "Network.requestWillBeSent")
        .Select(e => (string)e["params"]!["request"]!["url"]!);

    /// <summary>Starts the browser with a fresh profile, background networking off, and opens one blank page.</summary>
    public static async Task<Chromium> StartAsync(int width, int height)
    {
        var profile = Path.Combine(Path.GetTempPath(), "rfm-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--hide-scrollbars",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            await browser.ConnectAsync(width, height);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a URL and waits until that document has loaded.</summary>
    public async Task NavigateAsync(string url)
    {
        var navigated = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if ((string?)navigated["errorText"] is { Length: > 0 } error)
        {
            throw new InvalidOperationException($"Chromium could not open {url}: {error}");
        }

        // The load event of the blank page opened first may still arrive: wait for this document itself.
        var deadline = Stopwatch.StartNew();
        while (await EvaluateAsync("location.href + ' ' + document.readyState") != url + " complete")
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{url} did not finish loading within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The value of a JavaScript expression that returns a string.</summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        return (string)result["result"]!["value"]!;
    }

    /// <summary>A PNG of the whole page.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String((string)result["data"]!);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The browser is going away anyway.
        }

        await _stop.CancelAsync();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone, or past saving: the test's own outcome matters more.
        }

        if (_receiving is { } receiving)
        {
            await receiving.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A crash-report file may still be open; the temporary folder is the system's to clear.
        }
    }

    private async Task ConnectAsync(int width, int height)
    {
        // Chromium writes the port it chose and the browser's endpoint into the profile when it is ready.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"Chromium did not start (exit code {(_process.HasExited ? _process.ExitCode : "none")}).");
            }

            await Task.Delay(50);
        }

        var lines = File.ReadAllLines(portFile);
        using (var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}"), connecting.Token);
        }

        _receiving = Task.Run(ReceiveAsync);

        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browserLevel: true);
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }, browserLevel: true);
        _session = (string)attached["sessionId"]!;
        await SendAsync("Network.enable", new JsonObject());
        await SendAsync("Page.enable", new JsonObject());
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = width < 600 });
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, bool browserLevel = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (!browserLevel)
        {
            message["sessionId"] = _session;
        }

        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return answer["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : answer["result"]!;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove((int)id, out var reply))
                {
                    reply.SetResult(node);
                }
                else
                {
                    _events.Enqueue(node);
                }
            }
        }
        catch (Exception ex)
        {
            // However the connection ended, no reply will come: every waiting request fails with the reason.
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var reply))
                {
                    reply.TrySetException(new InvalidOperationException("The DevTools connection ended.", ex));
                }
            }

            return;
        }

        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var reply))
            {
                reply.TrySetException(new InvalidOperationException("The DevTools connection closed."));
            }
        }
    }
}

using Songjiang.Notifications.Benchmarks;
using System.Globalization;

// Two roles of one program: "server" is the notification service under test in a process of its own (so its memory
// is its own); without it the program is the load driver that starts the server, opens the streams and measures.
if (args.Length > 0 && args[0] == "server")
{
    await BenchServer.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2], args[3]);
    return 0;
}

var options = FanOutRun.Options.Parse(args);
return await new FanOutRun(options).RunAsync();

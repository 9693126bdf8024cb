using System.Diagnostics;
using Iscsi.Pdu;
using Iscsi.Scsi;
using Iscsi.Session;
using Iscsi.Tests.Fakes;
using Iscsi.Tests.SessionBehaviour;
using Xunit.Abstractions;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// The session end to end: the fake target answers a command (a read with data, a read failing with sense, a
/// TEST UNIT READY, a ping) with a mutated version of the valid reply. The command completes or fails with an
/// IscsiException (or is aborted after its timeout), nothing hangs, the session is either still usable or
/// closed, and memory stays bounded. A mutant that breaks the framing (lengths changed) leaves the initiator
/// waiting for bytes that will never come, as it must; the fake then hangs up, as a real target eventually would.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class SessionFuzzTests(ITestOutputHelper output)
{
    private const uint NoTag = Bhs.ReservedTag;
    /// <summary>How long the fake waits before hanging up after a framing-breaking mutant.</summary>
    private static readonly TimeSpan HangUpDelay = TimeSpan.FromMilliseconds(30);
    private const long MemoryGrowthBound = 64L * 1024 * 1024;

    private enum Kind { Read, ReadWithSense, TestUnitReady, Ping }

    /// <summary>What the fake does with the next reply: mutate it with this random.</summary>
    private sealed class Arm
    {
        public Random? Random;
        public bool BrokeFraming;
    }

    [Fact]
    public async Task A_mutated_reply_fails_or_completes_its_command_and_leaves_the_session_usable_or_closed()
    {
        var arm = new Arm();
        await using var fake = new FakeTarget((c, pdu) => ReplyAsync(c, pdu, arm));
        var options = FakeTarget.Options(o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        IscsiSession? session = null;
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var outcomes = new Dictionary<string, int>();
        try
        {
            await FuzzRunner.RunAsync("Session", FuzzOptions.Scaled(divisor: 10, minimum: 50),
                random => [(byte)random.Next(4)],
                async (choice, random) =>
                {
                    if (session is not { IsConnected: true })
                    {
                        if (session is not null) await session.DisposeAsync().AsTask().WaitAsync(FakeTarget.Patience);
                        session = await fake.ConnectAsync(options);
                    }
                    lock (arm) { arm.Random = random; arm.BrokeFraming = false; }
                    long started = Stopwatch.GetTimestamp();
                    string outcome = await RunOneAsync(session, (Kind)choice[0]);
                    if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMilliseconds(300)) outcome += "(slow)";
                    lock (outcomes) outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                    lock (arm) arm.Random = null;
                    await CheckUsableOrClosedAsync(session);
                },
                ex => false);
        }
        finally
        {
            if (session is not null) await session.DisposeAsync().AsTask().WaitAsync(FakeTarget.Patience);
        }
        output.WriteLine("Outcomes: " + string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(growth < MemoryGrowthBound, $"Managed memory grew by {growth} bytes over the run.");
        // The outcomes show the fuzz reaches every path: completions, protocol errors, timeouts, closed connections.
        Assert.True(outcomes.Count >= 3, "Outcomes: " + string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}")));
    }

    /// <summary>Runs one command; returns a name for its outcome. Any exception other than the documented ones fails.</summary>
    private static async Task<string> RunOneAsync(IscsiSession session, Kind kind)
    {
        try
        {
            if (kind == Kind.Ping)
            {
                await session.PingAsync().WaitAsync(FakeTarget.Patience);
                return "completed";
            }
            var command = kind switch
            {
                Kind.Read => Commands.Read(512),
                Kind.ReadWithSense => new ScsiCommand(0, Cdb.Read10(0, 2)) { ExpectedDataInLength = 1024 },
                _ => Commands.TestUnitReady(),
            };
            var result = await session.ExecuteAsync(command).WaitAsync(FakeTarget.Patience);
            Assert.InRange(result.DataInLength, 0, command.EffectiveDataInLength);
            ObjectWalker.Touch(result);
            return "completed";
        }
        catch (IscsiException e)
        {
            return e.ErrorId;
        }
        catch (ScsiCommandAbortedException)
        {
            return "aborted";
        }
    }

    /// <summary>A session still connected must answer a ping; one that is not must say why.</summary>
    private static async Task CheckUsableOrClosedAsync(IscsiSession session)
    {
        if (!session.IsConnected)
        {
            Assert.IsAssignableFrom<IscsiException>(session.Failure);
            Assert.Equal(0, session.InFlightCount);
            return;
        }
        try
        {
            await session.PingAsync().WaitAsync(FakeTarget.Patience);
        }
        catch (IscsiException) when (!session.IsConnected)
        {
            // The ping found the connection broken (a framing mutant): closed, which is the other acceptable state.
        }
    }

    private static async Task ReplyAsync(FakeConnection c, ReceivedPdu pdu, Arm arm)
    {
        Random? random;
        lock (arm) { random = arm.Random; arm.Random = null; }
        if (random is null || pdu.Opcode is not (Opcode.ScsiCommand or Opcode.NopOut) || (pdu.Opcode == Opcode.NopOut && pdu.InitiatorTaskTag == NoTag))
        {
            if (random is not null) lock (arm) arm.Random = random; // not the reply to mutate: keep the arm
            await c.AnswerDefaultAsync(pdu);
            return;
        }
        var (valid, fields) = ValidReply(c, pdu);
        // Mostly in place (the same length), so that most mutants reach the session's checks rather than breaking framing.
        byte[] mutated = new Mutator(random).Mutate(new FuzzInput(valid, fields), maxRounds: 3, inPlace: random.Next(3) != 0);
        bool brokeFraming = mutated.Length != valid.Length || !mutated.AsSpan(4, 4).SequenceEqual(valid.AsSpan(4, 4));
        await c.SendRawAsync(mutated);
        if (brokeFraming)
        {
            lock (arm) arm.BrokeFraming = true;
            await Task.Delay(HangUpDelay);
            c.Close();
        }
    }

    /// <summary>The reply a healthy target would send, framed (no digests are negotiated), with its length fields.</summary>
    private static (byte[] Pdu, List<LengthField> Fields) ValidReply(FakeConnection c, ReceivedPdu pdu)
    {
        var bhs = new byte[Bhs.Length];
        byte[] data = [];
        if (pdu.Opcode == Opcode.NopOut)
        {
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            new NopIn { InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = NoTag, StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max }.WriteTo(bhs);
        }
        else if (pdu.ScsiCommand.ExpectedDataTransferLength == 512)
        {
            data = Commands.Pattern(512);
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            new DataIn { InitiatorTaskTag = pdu.InitiatorTaskTag, TargetTransferTag = NoTag, Final = true, HasStatus = true,
                StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length }.WriteTo(bhs);
        }
        else
        {
            bool sense = pdu.ScsiCommand.ExpectedDataTransferLength > 0;
            if (sense)
            {
                byte[] senseBytes = [0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0];
                data = new byte[2 + senseBytes.Length];
                ScsiResponseData.Write(data, senseBytes);
            }
            var (statSn, exp, max) = c.TakeNumbers(advanceStatSn: true);
            new ScsiResponse { InitiatorTaskTag = pdu.InitiatorTaskTag, Status = sense ? (byte)ScsiStatus.CheckCondition : (byte)0,
                StatSn = statSn, ExpCmdSn = exp, MaxCmdSn = max, DataSegmentLength = data.Length,
                Underflow = sense, ResidualCount = sense ? pdu.ScsiCommand.ExpectedDataTransferLength : 0 }.WriteTo(bhs);
        }
        var fields = new List<LengthField>();
        byte[] framed = TargetPduCorpus.Frame((bhs, [], data), headerDigest: false, dataDigest: false, at: 0, fields);
        return (framed, fields);
    }
}

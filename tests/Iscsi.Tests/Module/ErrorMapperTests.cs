using Iscsi.Scsi;
using Iscsi.Session;
using IscsiModule.Logic;

namespace Iscsi.Tests.Module;

public sealed class ErrorMapperTests
{
    private static ScsiResult Result(byte opcode, ScsiStatus status, SenseKey? key = null) => new()
    {
        Lun = 1,
        Cdb = [opcode, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        Status = status,
        // Fixed-format sense (SPC-5 4.4.3): response code 70h, sense key in byte 2, additional length 10.
        Sense = key is { } k ? SenseData.Parse([0x70, 0, (byte)k, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x27, 0x00, 0, 0, 0, 0]) : null,
    };

    public static TheoryData<Exception, string, ModuleErrorCategory> Cases => new()
    {
        { new IscsiLoginException(2, 1, "auth"), "LoginFailed.0201", ModuleErrorCategory.AuthenticationError },
        { new IscsiLoginException(2, 3, "nf"), "LoginFailed.0203", ModuleErrorCategory.ObjectNotFound },
        { new IscsiLoginException(3, 1, "busy"), "LoginFailed.0301", ModuleErrorCategory.ResourceUnavailable },
        { new IscsiAuthenticationException("TargetAuthenticationFailed", "m"), "TargetAuthenticationFailed", ModuleErrorCategory.AuthenticationError },
        { new IscsiConnectionException("m"), "ConnectionFailed", ModuleErrorCategory.ConnectionError },
        { new IscsiTimeoutException("m", TimeSpan.FromSeconds(1)), "Timeout", ModuleErrorCategory.OperationTimeout },
        { new IscsiProtocolException("m", "DataSegmentTooLong"), "DataSegmentTooLong", ModuleErrorCategory.ProtocolError },
        { new IscsiProtocolException("m", "ShortRead"), "ShortRead", ModuleErrorCategory.ReadError },
        { new IscsiArgumentException("SessionNotFound", "m"), "SessionNotFound", ModuleErrorCategory.ObjectNotFound },
        { new IscsiArgumentException("SessionClosed", "m"), "SessionClosed", ModuleErrorCategory.InvalidOperation },
        { new IscsiArgumentException("LbaOutOfRange", "m"), "LbaOutOfRange", ModuleErrorCategory.InvalidArgument },
        { new IscsiArgumentException("DataNotBlockMultiple", "m"), "DataNotBlockMultiple", ModuleErrorCategory.InvalidArgument },
        { new ScsiCommandException(Result(0x2A, ScsiStatus.CheckCondition, SenseKey.DataProtect), "m"), "ScsiCheckCondition.DataProtect", ModuleErrorCategory.WriteError },
        { new ScsiCommandException(Result(0x28, ScsiStatus.CheckCondition, SenseKey.MediumError), "m"), "ScsiCheckCondition.MediumError", ModuleErrorCategory.ReadError },
        { new ScsiCommandException(Result(0x2A, ScsiStatus.CheckCondition, SenseKey.MediumError), "m"), "ScsiCheckCondition.MediumError", ModuleErrorCategory.WriteError },
        { new ScsiCommandException(Result(0x28, ScsiStatus.CheckCondition, SenseKey.IllegalRequest), "m"), "ScsiCheckCondition.IllegalRequest", ModuleErrorCategory.InvalidArgument },
        { new ScsiCommandException(Result(0x28, ScsiStatus.ReservationConflict), "m"), "ScsiStatus.ReservationConflict", ModuleErrorCategory.ResourceBusy },
        { new BlockVerifyException(5, 1, "m"), "VerifyMismatch", ModuleErrorCategory.WriteError },
        { new BlockTransferStoppedException(512, "m", null), "TransferStopped", ModuleErrorCategory.OperationStopped },
        { new OperationCanceledException(), "OperationStopped", ModuleErrorCategory.OperationStopped },
        { new FileNotFoundException("m"), "FileNotFound", ModuleErrorCategory.ObjectNotFound },
        { new UnauthorizedAccessException("m"), "FileAccessDenied", ModuleErrorCategory.PermissionDenied },
        { new InvalidOperationException("m"), "UnexpectedError", ModuleErrorCategory.NotSpecified },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exception_maps_to_a_stable_error_id_and_category(Exception exception, string errorId, ModuleErrorCategory category)
    {
        var mapped = ErrorMapper.Map(exception, "target");
        Assert.Equal(errorId, mapped.ErrorId);
        Assert.Equal(category, mapped.Category);
        Assert.Same(exception, mapped.Exception);
        Assert.Equal("target", mapped.TargetObject);
    }

    [Fact]
    public void A_scsi_failure_carries_its_result_as_target_object_by_default()
    {
        var result = Result(0x2A, ScsiStatus.CheckCondition, SenseKey.DataProtect);
        var mapped = ErrorMapper.Map(new ScsiCommandException(result, "m"));
        Assert.Same(result, mapped.TargetObject);
    }

    [Fact]
    public void Task_management_refusals_map_by_response()
    {
        var result = new TaskManagementResult { Function = TaskManagementFunction.TargetColdReset, Response = TaskManagementResponseCode.FunctionNotSupported };
        var error = TaskManagementCheck.Error(result, "t")!;
        var mapped = ErrorMapper.Map(error);
        Assert.Equal("TaskManagementFailed.FunctionNotSupported", mapped.ErrorId);
        Assert.Equal(ModuleErrorCategory.NotImplemented, mapped.Category);
        Assert.Same(result, mapped.TargetObject);
        Assert.Null(TaskManagementCheck.Error(new TaskManagementResult { Function = TaskManagementFunction.AbortTask, Response = TaskManagementResponseCode.TaskDoesNotExist }, "t"));
    }

    [Fact]
    public void A_message_quoting_a_target_shows_its_control_characters_escaped()
    {
        // Whatever raised it (the session core quotes a redirect address as the target sent it): the console gets \xNN.
        var mapped = ErrorMapper.Map(new IscsiConnectionException("redirected to 'evil\u001b[2J\r\n'", "TooManyRedirects"));
        Assert.Equal("redirected to 'evil\\x1B[2J\\x0D\\x0A'", mapped.Message);
        Assert.Equal("TooManyRedirects", mapped.ErrorId);
    }

    [Fact]
    public void An_aggregate_of_one_is_unwrapped()
        => Assert.Equal("Timeout", ErrorMapper.Map(new AggregateException(new IscsiTimeoutException("m", TimeSpan.Zero))).ErrorId);

    [Fact]
    public void Target_reset_kind_is_warm_by_default_and_refuses_both()
    {
        Assert.Equal(TaskManagementFunction.TargetWarmReset, TaskManagementCheck.ChooseTargetReset(false, false));
        Assert.Equal(TaskManagementFunction.TargetColdReset, TaskManagementCheck.ChooseTargetReset(false, true));
        Assert.Equal("ResetKindConflict", Assert.Throws<IscsiArgumentException>(() => TaskManagementCheck.ChooseTargetReset(true, true)).ErrorId);
    }
}

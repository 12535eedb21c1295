# Builds the bitstream of '{{PROJECT}}' and collects the PYNQ overlay files:
#   vivado -mode batch -source vivado/build_bitstream.tcl     (from the export folder)
# Writes overlay/codesign.bit and overlay/codesign.hwh.
set jobs {{JOBS}}
source [file join [file dirname [info script]] block_design.tcl]

launch_runs synth_1 -jobs $jobs
wait_on_run synth_1
launch_runs impl_1 -to_step write_bitstream -jobs $jobs
wait_on_run impl_1

file mkdir overlay
set bit [glob -nocomplain vivado_project/${design}_vivado.runs/impl_1/*.bit]
set hwh [glob -nocomplain vivado_project/${design}_vivado.gen/sources_1/bd/${design}/hw_handoff/${design}.hwh \
         vivado_project/${design}_vivado.srcs/sources_1/bd/${design}/hw_handoff/${design}.hwh]
if {[llength $bit] == 0 || [llength $hwh] == 0} {
    error "the implementation wrote no bitstream or hardware handoff; see vivado_project/"
}
file copy -force [lindex $bit 0] overlay/codesign.bit
file copy -force [lindex $hwh 0] overlay/codesign.hwh
report_utilization -file overlay/utilization.rpt
report_timing_summary -file overlay/timing.rpt
puts "overlay/codesign.bit and overlay/codesign.hwh are ready for the board"

{{- /* search/<lang>.js (search.search_index): every fact, series, milestone, plan and article as its result shows
     it, formatted as on the pages (the language's figures, made once in lang.html). */ -}}
{{- $lang := .Language.Lang -}}{{- $L := partialCached "lang.html" $lang $lang -}}{{- $o := $L.other -}}
{{- $figs := $L.figs -}}{{- $Dfacts := hugo.Data.facts -}}{{- $Dms := hugo.Data.milestones -}}{{- $Dprojects := hugo.Data.projects -}}
{{- $memo := $L.scratch }}{{ $msname := $L.ms_name -}}
{{- $figure := i18n "Figure" }}{{ $seriesw := i18n "Series" }}{{ $milestone := i18n "Milestone" }}{{ $plan := i18n "Plan" }}{{ $article := i18n "Article" -}}
{{- $obs := i18n "%(n)s observations" }}{{ $done := i18n "Done" }}{{ $planned := i18n "Planned" -}}
window.factsheetSearch={"fields":["type","title","other","value","period","kind","article","href"],"items":[
{{- range $i, $id := hugo.Data.fact_order }}{{ $f := index $Dfacts $id }}{{ $fig := index $figs $id }}{{ if $i }},{{ end }}{{ jsonify (slice $figure $fig.subject (index $f.subject $o) $fig.value $fig.period $fig.kind $fig.source $fig.href) }}{{ end -}}
{{- range hugo.Data.series_order }}{{ $row := partial "series_row.html" . }},{{ jsonify (slice $seriesw (index $row.name $lang) (index $row.name $o) (replace $obs "%(n)s" (string (len $row.facts))) "" "" "" (print "indicator-" . ".html")) }}{{ end -}}
{{- range hugo.Data.milestone_order }}{{ $m := index $Dms . }}{{ $p := index $Dprojects $m.project -}}
{{- $date := $memo.Get (print $lang ":" $m.date.iso) }}{{ if not $date }}{{ $date = partial "date.html" (dict "d" $m.date "lang" $lang) }}{{ $memo.Set (print $lang ":" $m.date.iso) $date }}{{ end -}}
,{{ jsonify (slice $milestone (replace (replace $msname "%(project)s" (index $p.name $lang)) "%(step)s" (index $m.label $lang)) (print (index $p.name $o) " " (index $m.label $o)) "" $date (cond $m.done $done $planned) (index $L.srcs $m.source).short (print "timelines.html#m-" .)) }}{{ end -}}
{{- range hugo.Data.plans }}{{ $t := index $figs .target }}{{ $tf := index $Dfacts .target -}}
,{{ jsonify (slice $plan $t.subject (index $tf.subject $o) (cond (ne .outcome nil) (print $t.value " → " (index $figs (or .outcome .target)).value) $t.value) $t.period (partial "label.html" .status) $t.source (print "plans.html#plan-" .id)) }}{{ end -}}
{{- range hugo.Data.source_order }}{{ $src := index hugo.Data.sources . }}{{ $sv := index $L.srcs . -}}
,{{ jsonify (slice $article (index $src.headline $lang) (index $src.headline $o) "" $sv.date "" $sv.short $sv.href) }}{{ end -}}
]};

-- A thread merged into one that was merged on later pointed at that merged thread. Since merging
-- now carries such threads along (mergeThread), every merged thread points at a live one; this
-- brings threads merged before that change up to date.
with recursive chain (id, target) as (
  select id, merged_into_id from threads where merged_into_id is not null
  -- union, not union all: a cycle (which merging cannot make) would end instead of looping.
  union
  select chain.id, next.merged_into_id
  from chain inner join threads next on next.id = chain.target
  where next.merged_into_id is not null
)
update threads set merged_into_id = live.target
from (
  select distinct on (chain.id) chain.id, chain.target
  from chain inner join threads t on t.id = chain.target
  where t.merged_into_id is null
) live
where threads.id = live.id and threads.merged_into_id <> live.target;

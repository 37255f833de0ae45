-- System lines become data: `system_event` holds an api::SystemEvent as JSON (its `kind`, the people's
-- ids and names and the titles as they were), so that each reader's app words it in their language.
-- `body` keeps the Russian wording, which clients that predate the field show.
ALTER TABLE messages ADD COLUMN system_event TEXT;

-- Lines written before are recognised by the exact sentences the server wrote (and the one the demo
-- school was seeded with). Their text never held an id, so people are named without one. A line
-- matching none keeps `system_event` NULL and is shown as the text it is.
UPDATE messages SET system_event = json_object('kind', 'chat_created')
WHERE kind = 'system' AND body = 'Чат создан';

UPDATE messages SET system_event = json_object('kind', 'description_changed')
WHERE kind = 'system' AND body = 'Описание чата изменено';

UPDATE messages SET system_event = json_object('kind', 'description_removed')
WHERE kind = 'system' AND body = 'Описание чата удалено';

UPDATE messages
SET system_event = json_object(
    'kind', 'chat_renamed',
    'title', substr(body, length('Название чата изменено: «') + 1, length(body) - length('Название чата изменено: «') - 1))
WHERE kind = 'system' AND system_event IS NULL
  AND length(body) > length('Название чата изменено: «»')
  AND substr(body, 1, length('Название чата изменено: «')) = 'Название чата изменено: «'
  AND substr(body, -1) = '»';

UPDATE messages
SET system_event = json_object(
    'kind', 'member_joined',
    'name', substr(body, 1, length(body) - length(' — новый участник чата')))
WHERE kind = 'system' AND system_event IS NULL
  AND length(body) > length(' — новый участник чата')
  AND substr(body, -length(' — новый участник чата')) = ' — новый участник чата';

UPDATE messages
SET system_event = json_object(
    'kind', 'member_joined',
    'name', substr(body, 1, length(body) - length(' присоединилась к чату')))
WHERE kind = 'system' AND system_event IS NULL
  AND length(body) > length(' присоединилась к чату')
  AND substr(body, -length(' присоединилась к чату')) = ' присоединилась к чату';

UPDATE messages
SET system_event = json_object(
    'kind', 'member_removed',
    'name', substr(body, 1, length(body) - length(' — больше не участник чата')))
WHERE kind = 'system' AND system_event IS NULL
  AND length(body) > length(' — больше не участник чата')
  AND substr(body, -length(' — больше не участник чата')) = ' — больше не участник чата';

UPDATE messages
SET system_event = json_object(
    'kind', 'member_left',
    'name', substr(body, 1, length(body) - length(' покидает чат')))
WHERE kind = 'system' AND system_event IS NULL
  AND length(body) > length(' покидает чат')
  AND substr(body, -length(' покидает чат')) = ' покидает чат';
